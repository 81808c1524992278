import type { Container } from '../../container';
import {
  catalog,
  catalogQuery,
  categoryProducts,
  categoryProductsParams,
  categoryProductsQuery,
  publicStore,
  slugParams,
  storeProductParams,
} from '../../schemas/storefront.schema';
import { product } from '../../schemas/product.schema';
import type { ApiRouter } from '../api-router';
import { sendConditionalJson } from '../conditional';

export function mountStorefront(api: ApiRouter, { services, presenter }: Container): void {
  api.route(
    {
      method: 'get',
      path: '/stores/:slug',
      tag: 'Catalog',
      summary: 'A store by the slug of its shared link',
      params: slugParams,
      responses: { 200: { description: 'The store', schema: publicStore } },
    },
    async ({ params }, res) => {
      res.json(presenter.publicStore(await services.catalog.store(params.slug)));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/stores/:slug/catalog',
      tag: 'Catalog',
      summary: "The store's catalog, grouped by category",
      description:
        'Active products only. Carries an ETag: send it back in If-None-Match to get 304 while nothing changed. ' +
        'For big stores, `perCategory` keeps the first N products of each category (productCount still counts all); ' +
        'page through a category with /stores/{slug}/categories/{categoryId}/products.',
      params: slugParams,
      query: catalogQuery,
      responses: { 200: { description: 'The catalog', schema: catalog }, 304: { description: 'Not modified since the ETag given' } },
    },
    async ({ params, query, req }, res) => {
      const { body, etag } = await services.catalog.catalog(params.slug, query.perCategory);
      sendConditionalJson(req, res, body, etag);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/stores/:slug/categories/:categoryId/products',
      tag: 'Catalog',
      summary: 'One category of the catalog, a page at a time',
      description: 'Active products of the category, by name.',
      params: categoryProductsParams,
      query: categoryProductsQuery,
      responses: { 200: { description: 'A page of products', schema: categoryProducts } },
    },
    async ({ params, query }, res) => {
      res.json(await services.catalog.productsOf(params.slug, params.categoryId, query));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/stores/:slug/products/:productId',
      tag: 'Catalog',
      summary: 'One product of the store, as the catalog shows it',
      description: "Active products of that store only; a hidden, archived or other store's product is 404.",
      params: storeProductParams,
      responses: { 200: { description: 'The product', schema: product } },
    },
    async ({ params }, res) => {
      res.json(await services.catalog.product(params.slug, params.productId));
    },
  );
}
