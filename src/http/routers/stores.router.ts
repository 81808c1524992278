import type { Container } from '../../container';
import { account } from '../../schemas/auth.schema';
import { createStoreBody, store, storeList, storeListQuery, storeParams, updateStoreBody } from '../../schemas/store.schema';
import { PERMISSIONS } from '../../domain/permissions';
import type { ApiRouter } from '../api-router';

export function mountStores(api: ApiRouter, { services, presenter }: Container): void {
  api.route(
    {
      method: 'get',
      path: '/seller/me',
      tag: 'Stores',
      summary: 'The signed-in seller',
      auth: 'seller',
      responses: { 200: { description: 'The seller', schema: account } },
      errors: [404],
    },
    async ({ auth }, res) => {
      res.json(presenter.account(await services.sellers.get(auth.sub)));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/seller/me',
      tag: 'Stores',
      summary: "Delete the seller's account",
      description:
        'Refused (409) while any store it owns has an open order (PENDING, ACCEPTED or SHIPPED). Every session ends; ' +
        'every store it owns closes: its link, catalog, pages and carts answer 410, and its slug is never given again. ' +
        'Customers keep their past orders. The mobile may sign up again as a new account.',
      auth: 'seller',
      responses: { 204: { description: 'Deleted' } },
      errors: [409],
    },
    async ({ auth }, res) => {
      await services.accountDeletion.deleteSeller(auth.sub);
      res.status(204).end();
    },
  );

  api.route(
    {
      method: 'post',
      path: '/seller/stores',
      tag: 'Stores',
      summary: 'Open a store',
      auth: 'seller',
      description: 'The slug comes from the name; a taken one gets a numeric suffix. It never changes.',
      body: createStoreBody,
      responses: { 201: { description: 'Store created', schema: store } },
      errors: [409],
    },
    async ({ auth, body }, res) => {
      res.status(201).json(presenter.store(await services.stores.create(auth.sub, body), { role: 'owner', permissions: PERMISSIONS }));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/seller/stores',
      tag: 'Stores',
      summary: 'The stores the seller owns or is staff of, newest first',
      auth: 'seller',
      query: storeListQuery,
      responses: { 200: { description: 'A page of stores', schema: storeList } },
    },
    async ({ auth, query }, res) => {
      res.json(presenter.page(await services.stores.listFor(auth.sub, query), (s) => presenter.store(s.store, s)));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/seller/stores/:storeId',
      tag: 'Stores',
      summary: 'Get a store, with your role and permissions in it',
      auth: 'seller',
      store: 'member',
      params: storeParams,
      responses: { 200: { description: 'The store', schema: store } },
    },
    async ({ params, access }, res) => {
      res.json(presenter.store(await services.stores.get(params.storeId), access));
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/seller/stores/:storeId',
      tag: 'Stores',
      summary: 'Rename a store or change its address',
      auth: 'seller',
      store: 'settings',
      description: 'The slug and link never change.',
      params: storeParams,
      body: updateStoreBody,
      responses: { 200: { description: 'The updated store', schema: store } },
    },
    async ({ params, body, access }, res) => {
      res.json(presenter.store(await services.stores.update(params.storeId, body), access));
    },
  );
}
