import type { Container } from '../../container';
import {
  order,
  orderList,
  orderSummary,
  sellerOrderListQuery,
  storeCustomerList,
  storeOrderParams,
  updateOrderStatusBody,
} from '../../schemas/order.schema';
import { storeListQuery, storeParams } from '../../schemas/store.schema';
import type { ApiRouter } from '../api-router';

export function mountSellerOrders(api: ApiRouter, { services, presenter }: Container): void {
  api.route(
    {
      method: 'get',
      path: '/seller/stores/:storeId/orders',
      tag: 'Seller orders',
      summary: "The store's orders, newest first",
      auth: 'seller',
      params: storeParams,
      query: sellerOrderListQuery,
      responses: { 200: { description: 'A page of orders', schema: orderList } },
    },
    async ({ auth, params, query }, res) => {
      const { status, ...page } = query;
      const found = await services.sellerOrders.list(auth.sub, params.storeId, page, status);
      res.json(presenter.page(found, (o) => presenter.order(o)));
    },
  );

  // Before /orders/:orderId, which would otherwise take "summary" for an id.
  api.route(
    {
      method: 'get',
      path: '/seller/stores/:storeId/orders/summary',
      tag: 'Seller orders',
      summary: 'How many orders are in each status',
      auth: 'seller',
      params: storeParams,
      responses: { 200: { description: 'All six statuses, with 0 where none', schema: orderSummary } },
    },
    async ({ auth, params }, res) => {
      res.json(await services.sellerOrders.summary(auth.sub, params.storeId));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/seller/stores/:storeId/orders/:orderId',
      tag: 'Seller orders',
      summary: 'One order of the store',
      auth: 'seller',
      params: storeOrderParams,
      responses: { 200: { description: 'The order', schema: order } },
    },
    async ({ auth, params }, res) => {
      res.json(presenter.order(await services.sellerOrders.get(auth.sub, params.storeId, params.orderId)));
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/seller/stores/:storeId/orders/:orderId',
      tag: 'Seller orders',
      summary: 'Accept, reject, ship, deliver or cancel an order',
      auth: 'seller',
      description:
        'A status that is not one of the six is 400; a move the status machine does not list (the same status included) is 409. ' +
        'REJECTED and CANCELLED put the stock back. The customer gets an SMS.',
      params: storeOrderParams,
      body: updateOrderStatusBody,
      responses: { 200: { description: 'The order in its new status', schema: order } },
      errors: [409],
    },
    async ({ auth, params, body }, res) => {
      res.json(presenter.order(await services.sellerOrders.setStatus(auth.sub, params.storeId, params.orderId, body.status)));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/seller/stores/:storeId/customers',
      tag: 'Seller orders',
      summary: 'Customers who ordered at the store, once each',
      auth: 'seller',
      params: storeParams,
      query: storeListQuery,
      responses: { 200: { description: 'A page of customers, most recent order first', schema: storeCustomerList } },
    },
    async ({ auth, params, query }, res) => {
      const found = await services.sellerOrders.customers(auth.sub, params.storeId, query);
      res.json(presenter.page(found, (c) => ({ ...c, lastOrderAt: c.lastOrderAt.toISOString() })));
    },
  );
}
