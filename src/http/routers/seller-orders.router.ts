import type { Container } from '../../container';
import {
  counterOrderBody,
  idempotencyHeaders,
  orderSummary,
  sellerOrder,
  sellerOrderList,
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
      store: 'orders',
      params: storeParams,
      query: sellerOrderListQuery,
      responses: { 200: { description: 'A page of orders', schema: sellerOrderList } },
    },
    async ({ params, query }, res) => {
      const { status, ...page } = query;
      const found = await services.sellerOrders.list(params.storeId, page, status);
      res.json(presenter.page(found, (o) => presenter.order(o, 'seller')));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/seller/stores/:storeId/orders',
      tag: 'Seller orders',
      summary: 'Take an order at the counter, for a walk-in or phone customer',
      description:
        'ACCEPTED at once, at the current prices; the stock is taken exactly as checkout takes it (never oversold). The ' +
        'customer is found or made by mobile and gets the usual SMS. Without `address` the order is picked up at the shop ' +
        '(its address is null). The same Idempotency-Key answers the first order again.',
      auth: 'seller',
      store: 'orders',
      params: storeParams,
      headers: idempotencyHeaders,
      body: counterOrderBody,
      responses: { 201: { description: 'The order, ACCEPTED', schema: sellerOrder } },
      errors: [409],
    },
    async ({ headers, body, access }, res) => {
      const placed = await services.sellerOrders.takeAtCounter(access, body, headers['idempotency-key']);
      res.status(201).json(presenter.order(placed, 'seller'));
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
      store: 'orders',
      params: storeParams,
      responses: { 200: { description: 'All six statuses, with 0 where none', schema: orderSummary } },
    },
    async ({ params }, res) => {
      res.json(await services.sellerOrders.summary(params.storeId));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/seller/stores/:storeId/orders/:orderId',
      tag: 'Seller orders',
      summary: 'One order of the store, with who made each change',
      auth: 'seller',
      store: 'orders',
      params: storeOrderParams,
      responses: { 200: { description: 'The order', schema: sellerOrder } },
    },
    async ({ params }, res) => {
      res.json(presenter.order(await services.sellerOrders.get(params.storeId, params.orderId), 'seller'));
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/seller/stores/:storeId/orders/:orderId',
      tag: 'Seller orders',
      summary: 'Accept, reject, ship, deliver or cancel an order',
      auth: 'seller',
      store: 'orders',
      description:
        'A status that is not one of the six is 400; a move the status machine does not list (the same status included) is 409. ' +
        "REJECTED and CANCELLED put the stock back. The customer gets an SMS. The order's history records who made the change.",
      params: storeOrderParams,
      body: updateOrderStatusBody,
      responses: { 200: { description: 'The order in its new status', schema: sellerOrder } },
      errors: [409],
    },
    async ({ params, body, access }, res) => {
      res.json(presenter.order(await services.sellerOrders.setStatus(access, params.orderId, body.status), 'seller'));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/seller/stores/:storeId/customers',
      tag: 'Seller orders',
      summary: 'Customers who ordered at the store, once each',
      auth: 'seller',
      store: 'customers',
      params: storeParams,
      query: storeListQuery,
      responses: { 200: { description: 'A page of customers, most recent order first', schema: storeCustomerList } },
    },
    async ({ params, query }, res) => {
      const found = await services.sellerOrders.customersOf(params.storeId, query);
      res.json(presenter.page(found, (c) => ({ ...c, lastOrderAt: c.lastOrderAt.toISOString() })));
    },
  );
}
