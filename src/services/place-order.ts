// The database function place_order (prisma/functions/place_order.sql): how it is called, and
// its answer parsed, so that a change on either side fails a test instead of a checkout.
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { poolOf, type Db } from '../db/prisma';
import { paiseToDecimalString } from '../domain/money';
import { ORDER_STATUSES } from '../domain/order-status';
import { Prisma } from '../generated/prisma/client';
import type { Cart } from './cart.service';

/** Money as PostgreSQL writes numeric(12,2) to text. */
const decimal = z.string().regex(/^\d+(\.\d+)?$/);
const timestamp = z.iso.datetime({ offset: true }).transform((t) => new Date(t));

const order = z.object({
  id: z.string(),
  storeId: z.string(),
  customerId: z.string(),
  status: z.enum(ORDER_STATUSES),
  cartId: z.string(),
  idempotencyKey: z.string().nullable(),
  address: z.json().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

const line = z.object({
  id: z.string(),
  orderId: z.string(),
  productId: z.string(),
  position: z.number().int(),
  name: z.string(),
  image: z.string().nullable(),
  mrp: decimal.transform((d) => new Prisma.Decimal(d)),
  salePrice: decimal.transform((d) => new Prisma.Decimal(d)),
  qty: z.number().int(),
});

const event = z.object({
  id: z.string(),
  orderId: z.string(),
  status: z.enum(ORDER_STATUSES),
  at: timestamp,
  actorRole: z.enum(['customer', 'owner', 'staff']),
  actorId: z.string().nullable(),
  actorMobile: z.string().nullable(),
});

const placed = z.object({
  order,
  lines: z.array(line).min(1),
  history: z.array(event).length(1),
  /** Stock was taken (a product with limited stock was bought). */
  limited: z.boolean(),
});

/** Nothing was written, and why. */
const refused = z.discriminatedUnion('refused', [
  z.object({
    refused: z.literal('prices-changed'),
    current: z.array(z.object({ productId: z.string(), name: z.string(), image: z.string().nullable(), mrp: decimal, salePrice: decimal })),
  }),
  z.object({ refused: z.literal('product-unavailable'), name: z.string() }),
  z.object({ refused: z.literal('out-of-stock'), name: z.string(), stock: z.number().int() }),
  z.object({ refused: z.literal('too-many-open-orders'), limit: z.number().int() }),
  z.object({ refused: z.literal('store-closed') }),
]);

export const placeOrderAnswer = z.union([placed, refused]);
export type PlaceOrderAnswer = z.infer<typeof placeOrderAnswer>;
export type Refusal = z.infer<typeof refused>;
export type Placed = z.infer<typeof placed>;

/** Who places an order, as its history records it. */
export type OrderActor = { role: 'customer' } | { role: 'owner' | 'staff'; id: string; mobile: string };

export interface PlaceOrderInput {
  customerId: string;
  /** A buyer's cart; an order taken at the counter brings its lines in one made for it. */
  cart: Pick<Cart, 'id' | 'storeId' | 'lines'>;
  /** null: picked up at the shop (counter orders only). */
  address: unknown;
  idempotencyKey?: string;
  maxOpenOrders: number;
  status: 'PENDING' | 'ACCEPTED';
  actor: OrderActor;
}

const PLACE_ORDER = `SELECT place_order($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::varchar, $6::jsonb, $7::jsonb,
                                   $8::integer, $9::"OrderStatus", $10::jsonb) AS result`;

/**
 * One call of place_order for this cart: the order, its lines and the first entry of its history
 * written, or a refusal with nothing written (also when the customer holds `maxOpenOrders`
 * PENDING orders at the store already). A duplicate cart or idempotency key fails with a unique
 * violation.
 */
export async function placeOrder(db: Db, order: PlaceOrderInput): Promise<PlaceOrderAnswer> {
  const { customerId, cart, address, idempotencyKey, maxOpenOrders, status, actor } = order;
  const lines = cart.lines.map((l) => ({
    id: uuidv7(),
    productId: l.productId,
    qty: l.qty,
    name: l.name,
    mrp: paiseToDecimalString(l.mrp),
    salePrice: paiseToDecimalString(l.salePrice),
  }));
  // Through the pool under Prisma, not $queryRaw: the one statement that skips Prisma's raw-query
  // layer (see poolOf). Its errors are node-postgres's; prisma-errors.ts and the error pipeline
  // read both kinds.
  const { rows } = await poolOf(db).query<{ result: unknown }>(PLACE_ORDER, [
    uuidv7(),
    cart.storeId,
    customerId,
    cart.id,
    idempotencyKey ?? null,
    address === null ? null : JSON.stringify(address),
    JSON.stringify(lines),
    maxOpenOrders,
    status,
    JSON.stringify(actor),
  ]);
  return placeOrderAnswer.parse(rows[0]?.result);
}
