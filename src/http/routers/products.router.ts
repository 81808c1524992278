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
    async ({ auth, params, body, req }, res) => {
      const created = await services.products.create(auth.sub, params.storeId, body, req.file?.buffer);
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
    async ({ auth, params, req }, res) => {
      if (!req.file) throw new ValidationError([{ path: 'file', message: 'is required: a CSV file' }]);
      res.json(await services.productImport.import(auth.sub, params.storeId, req.file.buffer));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/seller/stores/:storeId/products',
      tag: 'Products',
      summary: 'List products, newest first',
      auth: 'seller',
      description: 'Hidden products are included unless `active` is given; archived ones never are.',
      params: storeParams,
      query: productListQuery,
      responses: { 200: { description: 'A page of products', schema: productList } },
    },
    async ({ auth, params, query }, res) => {
      const { page, limit, ...filter } = query;
      const found = await services.products.list(auth.sub, params.storeId, filter, { page, limit });
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
      params: productParams,
      responses: { 200: { description: 'The product', schema: product } },
    },
    async ({ auth, params }, res) => {
      res.json(presenter.product(await services.products.get(auth.sub, params.storeId, params.productId)));
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
      description: 'Any create field, plus `active`. Multipart with an `image` file replaces the image; JSON `"image": null` removes it.',
      params: productParams,
      body: updateProductBody,
      bodyTypes: ['json', 'multipart'],
      before: [upload],
      multipartDoc: updateProductForm,
      responses: { 200: { description: 'The updated product', schema: product } },
    },
    async ({ auth, params, body, req }, res) => {
      const image = req.file ? req.file.buffer : body.image;
      const updated = await services.products.update(auth.sub, params.storeId, params.productId, { ...body, image });
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
      description: "It disappears from the catalog, carts and the seller's list; past orders keep their lines.",
      params: productParams,
      responses: { 204: { description: 'Archived' } },
    },
    async ({ auth, params }, res) => {
      await services.products.archive(auth.sub, params.storeId, params.productId);
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
      params: storeParams,
      responses: { 200: { description: 'All categories of the store, by name', schema: categoryList } },
    },
    async ({ auth, params }, res) => {
      res.json({ items: await services.products.listCategories(auth.sub, params.storeId) });
    },
  );
}
