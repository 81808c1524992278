import { z } from 'zod';
import { id, intRange, text, timestamp } from './common';

const storeLink = text(1, 500).meta({ description: 'The store slug or its full link', example: 'ramesh-kirana' });

export const cartParams = z.object({ cartId: id });
export const cartLineParams = z.object({ cartId: id, productId: id });

export const createCartBody = z.object({ storeLink }).strict().meta({ id: 'CreateCart' });

export const addItemBody = z
  .object({
    productId: z.string().max(64),
    qty: intRange(1, 99),
    storeLink,
  })
  .strict()
  .meta({ id: 'AddCartItem', example: { productId: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5f', qty: 2, storeLink: 'ramesh-kirana' } });

export const setQtyBody = z
  .object({ qty: intRange(0, 99) })
  .strict()
  .meta({ id: 'SetCartItemQty', description: 'qty 0 removes the line', example: { qty: 3 } });

const line = z.object({
  productId: z.string(),
  name: z.string(),
  image: z.string().nullable(),
  mrp: z.number(),
  salePrice: z.number(),
  qty: z.number().int(),
  lineTotal: z.number(),
});

/** The lines and totals of the cart and order examples (an order keeps its cart's lines). */
export const linesExample = {
  items: [
    {
      productId: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5f',
      name: 'Basmati Rice 1kg',
      image: null,
      mrp: 150,
      salePrice: 129.5,
      qty: 2,
      lineTotal: 259,
    },
  ],
  itemCount: 2,
  mrpTotal: 300,
  subtotal: 259,
  savings: 41,
};

const totals = { itemCount: z.number().int(), mrpTotal: z.number(), subtotal: z.number(), savings: z.number() };

export const cart = z
  .object({ id: z.string(), storeId: z.string(), storeLink: z.string(), items: z.array(line), ...totals, updatedAt: timestamp })
  .meta({
    id: 'Cart',
    example: {
      id: '5b0f3c1e-8a9d-4c2b-9e7f-1a2b3c4d5e6f',
      storeId: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5e',
      storeLink: 'http://localhost:3000/ramesh-kirana',
      ...linesExample,
      updatedAt: '2026-11-21T10:00:00.000Z',
    },
  });

export const orderLine = line;
export const orderTotals = totals;
