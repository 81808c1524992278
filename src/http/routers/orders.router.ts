import type { Container } from '../../container';
import { idempotencyHeaders, order, orderList, orderListQuery, orderParams, placeOrderBody } from '../../schemas/order.schema';
import type { ApiRouter } from '../api-router';

export function mountOrders(api: ApiRouter, { services, presenter }: Container): void {
  api.route(
    {
      method: 'post',
      path: '/orders',
      tag: 'Orders',
      summary: 'Turn a cart into an order',
      auth: 'customer',
      description:
        'One transaction: prices re-read, every line checked, stock taken so that concurrent orders never oversell. ' +
        'If a price changed since the line was added nothing is ordered (409) and the cart shows the current prices. ' +
        'The same Idempotency-Key from the same customer returns the first order (201, same id); with another cart it is 409.',
      body: placeOrderBody,
      headers: idempotencyHeaders,
      responses: { 201: { description: 'The order (also for a replayed Idempotency-Key)', schema: order } },
      errors: [404, 409, 503],
    },
    async ({ auth, body, headers }, res) => {
      const placed = await services.orders.place(auth.sub, body, headers['idempotency-key']);
      res.status(201).json(presenter.order(placed));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/orders',
      tag: 'Orders',
      summary: 'Own orders, newest first',
      auth: 'customer',
      query: orderListQuery,
      responses: { 200: { description: 'A page of orders', schema: orderList } },
    },
    async ({ auth, query }, res) => {
      res.json(presenter.page(await services.orders.list({ customerId: auth.sub }, query), (o) => presenter.order(o)));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/orders/:orderId',
      tag: 'Orders',
      summary: 'One own order',
      auth: 'customer',
      params: orderParams,
      responses: { 200: { description: 'The order', schema: order } },
    },
    async ({ auth, params }, res) => {
      res.json(presenter.order(await services.orders.get({ customerId: auth.sub }, params.orderId)));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/orders/:orderId/cancel',
      tag: 'Orders',
      summary: 'Cancel an own order while it is PENDING',
      auth: 'customer',
      description: 'The stock goes back. Any other status is 409.',
      params: orderParams,
      responses: { 200: { description: 'The cancelled order', schema: order } },
      errors: [409],
    },
    async ({ auth, params }, res) => {
      res.json(
        presenter.order(await services.orders.transition({ customerId: auth.sub }, params.orderId, 'CANCELLED', { role: 'customer' })),
      );
    },
  );
}
