import type { Container } from '../../container';
import { addItemBody, cart, cartLineParams, cartParams, createCartBody, setQtyBody } from '../../schemas/cart.schema';
import type { ApiRouter } from '../api-router';

export function mountCarts(api: ApiRouter, { services, presenter }: Container): void {
  const answers = { 200: { description: 'The whole cart, totals included', schema: cart } };

  api.route(
    {
      method: 'post',
      path: '/carts',
      tag: 'Cart',
      summary: 'Start a cart for a store',
      description:
        'Carts are anonymous: the id (a UUIDv4) is the key to it. It expires after CART_TTL_SECONDS without a change, ' +
        'or EMPTY_CART_TTL_SECONDS while it holds no line. At most CART_RATE_LIMIT_PER_IP new carts per client address a minute (429).',
      body: createCartBody,
      responses: { 201: { description: 'The new, empty cart', schema: cart } },
      errors: [404, 429, 503],
    },
    async ({ body, req }, res) => {
      res.status(201).json(presenter.cart(await services.carts.create(body.storeLink, req.ip ?? 'unknown')));
    },
  );

  api.route(
    { method: 'get', path: '/carts/:cartId', tag: 'Cart', summary: 'A cart', params: cartParams, responses: answers, errors: [503] },
    async ({ params }, res) => {
      res.json(presenter.cart(await services.carts.get(params.cartId)));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/carts/:cartId/items',
      tag: 'Cart',
      summary: 'Add units of a product (adds to its line)',
      description:
        "409 when the line would pass 99, for a 101st line, for another store's product or link, a hidden or archived product, or more than the stock.",
      params: cartParams,
      body: addItemBody,
      responses: answers,
      errors: [409, 503],
    },
    async ({ params, body }, res) => {
      res.json(presenter.cart(await services.carts.add(params.cartId, body)));
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/carts/:cartId/items/:productId',
      tag: 'Cart',
      summary: "Set a line's quantity (0 removes it)",
      params: cartLineParams,
      body: setQtyBody,
      responses: answers,
      errors: [409, 503],
    },
    async ({ params, body }, res) => {
      res.json(presenter.cart(await services.carts.setQty(params.cartId, params.productId, body.qty)));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/carts/:cartId/items/:productId',
      tag: 'Cart',
      summary: 'Remove a line',
      params: cartLineParams,
      responses: answers,
      errors: [503],
    },
    async ({ params }, res) => {
      res.json(presenter.cart(await services.carts.remove(params.cartId, params.productId)));
    },
  );
}
