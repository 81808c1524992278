import type { Container } from '../../container';
import { catalog, publicStore, slugParams } from '../../schemas/storefront.schema';
import type { ApiRouter } from '../api-router';
import { sendConditionalJson } from '../conditional';

export function mountStorefront(api: ApiRouter, { services, presenter }: Container): void {
  api.route(
    { method: 'get', path: '/stores/:slug', tag: 'Catalog', summary: 'A store by the slug of its shared link', params: slugParams, responses: { 200: { description: 'The store', schema: publicStore } } },
    async ({ params }, res) => {
      res.json(presenter.publicStore(await services.stores.getBySlug(params.slug)));
    },
  );

  api.route(
    {
      method: 'get', path: '/stores/:slug/catalog', tag: 'Catalog', summary: 'The store\'s catalog, grouped by category',
      description: 'Active products only. Carries an ETag: send it back in If-None-Match to get 304 while nothing changed.',
      params: slugParams,
      responses: { 200: { description: 'The catalog', schema: catalog }, 304: { description: 'Not modified since the ETag given' } },
    },
    async ({ params, req }, res) => {
      sendConditionalJson(req, res, await services.catalog.catalogJson(params.slug));
    },
  );
}
