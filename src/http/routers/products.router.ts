import type { Container } from '../../container';
import { storeParams } from '../../schemas/store.schema';
import {
  categoryList,
  createProductBody,
  createProductForm,
  product,
  productList,
  productListQuery,
  productParams,
  updateProductBody,
  updateProductForm,
} from '../../schemas/product.schema';
import type { ApiRouter } from '../api-router';
import { csvUpload, imageUpload } from '../middleware/upload';
import { importForm, importResult } from '../../schemas/import.schema';
import { ValidationError } from '../../domain/errors';
import { MAX_IMPORT_BYTES } from '../../services/product-import.service';

export function mountProducts(api: ApiRouter, { services, presenter }: Container): void {
  const upload = imageUpload();

  api.route(
    {
      method: 'post',
      path: '/seller/stores/:storeId/products',
      tag: 'Products',
      summary: 'Add a product',
      errors: [409],
      auth: 'seller',
      store: 'products',
      description:
        'JSON, or multipart/form-data with an optional `image` file (JPEG, PNG or WebP by content, at most 5 MB). ' +
        '`category` is a name: reused case-insensitively, else created. `stock` omitted or null means unlimited.',
      params: storeParams,
      body: createProductBody,
      bodyTypes: ['json', 'multipart'],
      before: [upload],
      multipartDoc: createProductForm,
      responses: { 201: { description: 'Product created', schema: product } },
    },
    async ({ params, body, req }, res) => {
      const created = await services.products.create(params.storeId, body, req.file?.buffer);
      res.status(201).json(presenter.product(created));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/seller/stores/:storeId/products/import',
      tag: 'Products',
      summary: 'Create products in bulk from a CSV',
      errors: [409],
      auth: 'seller',
      store: 'products',
      description:
        'multipart/form-data with a CSV `file` whose header row names the columns name, description, mrp, salePrice, category, stock ' +
        '(any order; description and stock may be empty). Valid rows are created, invalid ones reported by 1-based data row. ' +
        'At most 5,000 data rows and 5 MiB: 413 above either, and nothing is created.',
      params: storeParams,
      body: importForm,
      bodyTypes: ['multipart'],
      before: [csvUpload(MAX_IMPORT_BYTES)],
      multipartDoc: importForm,
      responses: { 200: { description: 'How many were created, and which rows failed', schema: importResult } },
    },
    async ({ params, req }, res) => {
      if (!req.file) throw new ValidationError([{ path: 'file', message: 'is required: a CSV file' }]);
      res.json(await services.productImport.import(params.storeId, req.file.buffer));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/seller/stores/:storeId/products',
      tag: 'Products',
      summary: 'List products, newest first',
      auth: 'seller',
      store: 'products',
      description: 'Hidden products are included unless `active` is given; archived ones never are.',
      params: storeParams,
      query: productListQuery,
      responses: { 200: { description: 'A page of products', schema: productList } },
    },
    async ({ params, query }, res) => {
      const { page, limit, ...filter } = query;
      const found = await services.products.list(params.storeId, filter, { page, limit });
      res.json(presenter.page(found, (p) => presenter.product(p)));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/seller/stores/:storeId/products/:productId',
      tag: 'Products',
      summary: 'Get a product',
      auth: 'seller',
      store: 'products',
      params: productParams,
      responses: { 200: { description: 'The product', schema: product } },
    },
    async ({ params }, res) => {
      res.json(presenter.product(await services.products.get(params.storeId, params.productId)));
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/seller/stores/:storeId/products/:productId',
      tag: 'Products',
      summary: 'Change a product',
      errors: [409],
      auth: 'seller',
      store: 'products',
      description: 'Any create field, plus `active`. Multipart with an `image` file replaces the image; JSON `"image": null` removes it.',
      params: productParams,
      body: updateProductBody,
      bodyTypes: ['json', 'multipart'],
      before: [upload],
      multipartDoc: updateProductForm,
      responses: { 200: { description: 'The updated product', schema: product } },
    },
    async ({ params, body, req }, res) => {
      const image = req.file ? req.file.buffer : body.image;
      const updated = await services.products.update(params.storeId, params.productId, { ...body, image });
      res.json(presenter.product(updated));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/seller/stores/:storeId/products/:productId',
      tag: 'Products',
      summary: 'Archive a product',
      auth: 'seller',
      store: 'products',
      description: "It disappears from the catalog, carts and the seller's list; past orders keep their lines.",
      params: productParams,
      responses: { 204: { description: 'Archived' } },
    },
    async ({ params }, res) => {
      await services.products.archive(params.storeId, params.productId);
      res.status(204).end();
    },
  );

  api.route(
    {
      method: 'get',
      path: '/seller/stores/:storeId/categories',
      tag: 'Products',
      summary: 'Categories with their product counts',
      auth: 'seller',
      store: 'products',
      params: storeParams,
      responses: { 200: { description: 'All categories of the store, by name', schema: categoryList } },
    },
    async ({ params }, res) => {
      res.json({ items: await services.products.listCategories(params.storeId) });
    },
  );
}
