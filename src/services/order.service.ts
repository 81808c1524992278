import type { Logger } from 'pino';
import type { Db } from '../db/prisma';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { decimalToPaise } from '../domain/money';
import { v4 as uuidv4, v5 as uuidv5 } from 'uuid';
import { ORDER_STATUSES, restoresStock, sourcesOf, type Actor, type OrderStatus } from '../domain/order-status';
import { Prisma } from '../generated/prisma/client';
import type { Pagination } from '../schemas/common';
import { MAX_LINE_QTY, type Cart, type CartService } from './cart.service';
import type { Address, CustomerService } from './customer.service';
import type { StoreChanges } from './store-versions';
import { placeOrder, type OrderActor, type PlaceOrderAnswer, type PlaceOrderInput, type Placed, type Refusal } from './place-order';
import { emitEvent, type EventType } from './events/outbox';
import { isUniqueViolation } from './prisma-errors';
import { STORE_CLOSED, type Page } from './store.service';

// Under a burst, status changes queue for pool connections and for the rows they lock.
// Wait longer than Prisma's 2 s default before giving up (which then answers 503).
const TX_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

/** The namespace of counter orders' "cart" ids, made from the store and the Idempotency-Key. */
const COUNTER_CARTS = '6f1c2d4e-9a3b-4c5d-8e7f-0a1b2c3d4e5f';

const withLines = {
  lines: { orderBy: { position: 'asc' } },
  history: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
} satisfies Prisma.OrderInclude;
export type OrderRow = Prisma.OrderGetPayload<{ include: typeof withLines }>;

/** The order place_order wrote, as Prisma reads orders. */
function committedOrder(placed: Placed): Committed {
  const order: OrderRow = {
    ...placed.order,
    address: placed.order.address as Prisma.JsonValue,
    lines: placed.lines,
    history: placed.history,
  };
  return { order, limited: placed.limited };
}

/** A committed order, and whether the catalog's stock changed with it. */
interface Committed {
  order: OrderRow;
  limited: boolean;
}

export interface StoreCustomer {
  id: string;
  /** null once the customer deleted the account (so is the name). */
  mobile: string | null;
  name: string | null;
  orderCount: number;
  lastOrderAt: Date;
}

/** Which orders a caller may see: a customer's own, or those of a store the caller works in (decided by the store access seam). */
export type OrderScope = { customerId: string } | { storeId: string };

export class OrderService {
  constructor(
    private readonly db: Db,
    private readonly carts: CartService,
    private readonly customers: CustomerService,
    private readonly catalog: StoreChanges,
    private readonly logger: Logger,
    /** PENDING orders a customer may hold in one store (OPEN_ORDERS_PER_CUSTOMER). */
    private readonly maxOpenOrders: number,
    /** After a commit that emitted events: the streams read them now. */
    private readonly signal: (storeId: string) => Promise<void> = async () => undefined,
  ) {}

  /**
   * Turns a cart into an order, in three steps:
   * 1. replay: a request repeated with its Idempotency-Key gets the order the first one made;
   * 2. commit: the database function place_order (prisma/functions/place_order.sql) writes the
   *    order row first, whose unique cart id and (customer, idempotency key) make a duplicate wait
   *    for the first and then fail, so one cart or one key can never become two orders; it then
   *    locks the products in id order (no deadlocks between overlapping carts), checks them,
   *    decrements stock with a guard and writes the lines, or refuses with nothing written;
   * 3. after the commit: the streams are signalled, the cart goes, the catalog hears of the stock
   *    (SMS and webhooks follow from the order's events: services/events/relay.ts).
   */
  async place(customerId: string, input: { cartId: string; address?: Address }, idempotencyKey?: string): Promise<OrderRow> {
    const replay = idempotencyKey ? await this.byIdempotencyKey(customerId, idempotencyKey, input.cartId) : null;
    if (replay) return replay;
    const committed = await this.commit(customerId, input, idempotencyKey);
    if ('replay' in committed) return committed.replay;
    await this.afterCommit(committed);
    return committed.order;
  }

  /** Step 2: the order written, or the request's earlier order when this one lost a race to it. */
  private async commit(
    customerId: string,
    input: { cartId: string; address?: Address },
    idempotencyKey?: string,
  ): Promise<Committed | { replay: OrderRow }> {
    const cart = await this.carts.find(input.cartId);
    if (!cart) {
      // A replay that lost the race to the first request finds the cart already gone.
      const replay = idempotencyKey ? await this.byIdempotencyKey(customerId, idempotencyKey, input.cartId) : null;
      if (replay) return { replay };
      throw new NotFoundError('Cart');
    }
    if (cart.lines.length === 0) throw new ConflictError('The cart is empty.', 'empty-cart');
    const address = input.address ?? (await this.savedAddress(customerId));
    let answer: PlaceOrderAnswer;
    try {
      answer = await placeOrder(this.db, {
        customerId,
        cart,
        address,
        idempotencyKey,
        maxOpenOrders: this.maxOpenOrders,
        status: 'PENDING',
        actor: { role: 'customer' },
      });
    } catch (err) {
      if (idempotencyKey && isUniqueViolation(err)) {
        const replay = await this.byIdempotencyKey(customerId, idempotencyKey, input.cartId);
        if (replay) return { replay };
      }
      if (isUniqueViolation(err, 'cart')) {
        await this.forgetCart(cart.id);
        throw new ConflictError('This cart has already been ordered.', 'cart-already-ordered');
      }
      throw err;
    }
    if ('refused' in answer) throw await this.refusal(cart, answer);
    return committedOrder(answer);
  }

  /** Step 3: after commit the order exists whatever happens here. */
  private async afterCommit({ order, limited }: Committed): Promise<void> {
    await this.signal(order.storeId);
    await this.forgetCart(order.cartId);
    // The catalog shows stock: it changed only if a product with limited stock was bought.
    if (limited) await this.catalog.stockChanged(order.storeId);
  }

  private async refusal(cart: Cart, refused: Refusal): Promise<Error> {
    switch (refused.refused) {
      case 'prices-changed':
        await this.carts.reprice(
          cart.id,
          refused.current.map((c) => ({ ...c, mrp: decimalToPaise(c.mrp), salePrice: decimalToPaise(c.salePrice) })),
        );
        return new ConflictError(
          'Prices changed since the cart was filled. The cart now shows the current prices; place the order again to accept them.',
          'prices-changed',
        );
      case 'product-unavailable':
        return new ConflictError(
          `"${refused.name}" is no longer available. Remove it from the cart to order the rest.`,
          'product-unavailable',
        );
      case 'out-of-stock':
        return new ConflictError(`Only ${refused.stock} of "${refused.name}" left in stock.`, 'out-of-stock');
      case 'store-closed':
        return STORE_CLOSED();
      case 'too-many-open-orders':
        return new ConflictError(
          `You have ${refused.limit} orders this store has not accepted yet: place more once it has, or cancel one.`,
          'too-many-open-orders',
        );
    }
  }

  async list(scope: OrderScope, { page, limit }: Pagination, status?: OrderStatus): Promise<Page<OrderRow>> {
    const where: Prisma.OrderWhereInput = { ...this.where(scope), ...(status ? { status } : {}) };
    const [items, total] = await Promise.all([
      this.db.order.findMany({
        where,
        include: withLines,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: (page - 1) * limit,
        take: limit,
      }),
      this.db.order.count({ where }),
    ]);
    return { items, page, limit, total };
  }

  async get(scope: OrderScope, orderId: string): Promise<OrderRow> {
    const order = await this.db.order.findFirst({ where: { id: orderId, ...this.where(scope) }, include: withLines });
    if (!order) throw new NotFoundError('Order');
    return order;
  }

  /**
   * Moves an order along the status machine. The guarded UPDATE (`status IN (allowed sources)`)
   * makes racing changes take turns: the second sees the new status and gets 409. Stock goes back
   * in the same transaction when the order is rejected or cancelled.
   */
  async transition(scope: OrderScope, orderId: string, to: OrderStatus, actor: OrderActor): Promise<OrderRow> {
    const rules: Actor = actor.role === 'customer' ? 'customer' : 'seller';
    const order = await this.db.$transaction(async (tx) => {
      // The row lock makes racing changes take turns: the second sees the first's status.
      const scoped =
        'customerId' in scope ? Prisma.sql`customer_id = ${scope.customerId}::uuid` : Prisma.sql`store_id = ${scope.storeId}::uuid`;
      const rows = await tx.$queryRaw<Array<{ status: OrderStatus; store_id: string }>>`
        SELECT status, store_id FROM orders WHERE id = ${orderId}::uuid AND ${scoped} FOR UPDATE`;
      const current = rows[0];
      if (!current) throw new NotFoundError('Order');
      if (!sourcesOf(to, rules).includes(current.status)) {
        throw new ConflictError(
          `An order cannot move from ${current.status} to ${to}${rules === 'customer' ? ' by its customer' : ''}.`,
          'illegal-status-change',
        );
      }
      await tx.order.update({ where: { id: orderId }, data: { status: to } });
      // Who did it, in the same transaction as the change.
      const by = {
        role: actor.role,
        accountId: actor.role === 'customer' ? null : actor.id,
        mobile: actor.role === 'customer' ? null : actor.mobile,
      };
      const entry = await tx.orderEvent.create({
        data: { orderId, status: to, actorRole: by.role, actorId: by.accountId, actorMobile: by.mobile },
      });
      const emit = (type: EventType, data: object) => emitEvent(tx, current.store_id, type, data);
      await emit('order.status_changed', { orderId, from: current.status, to, at: entry.at.toISOString(), by });
      if (restoresStock(to)) {
        const restocked = await tx.$queryRaw<Array<{ id: string; stock: number }>>`
          UPDATE products p SET stock = p.stock + l.qty, updated_at = now()
          FROM (SELECT product_id, sum(qty)::int AS qty FROM order_lines WHERE order_id = ${orderId}::uuid GROUP BY product_id) l
          WHERE p.id = l.product_id AND p.stock IS NOT NULL
          RETURNING p.id, p.stock`;
        for (const p of restocked.sort((a, b) => a.id.localeCompare(b.id)))
          await emit('product.stock_changed', { productId: p.id, stock: p.stock });
      }
      return tx.order.findUniqueOrThrow({ where: { id: orderId }, include: withLines });
    }, TX_OPTIONS);
    await this.signal(order.storeId);
    if (restoresStock(to)) await this.catalog.stockChanged(order.storeId);
    return order;
  }

  /**
   * An order the shopkeeper takes for a walk-in or phone customer: ACCEPTED at once, at today's
   * prices, through place_order like any checkout (the same guarded stock decrement, never a
   * second copy of its rules). The Idempotency-Key names the order's "cart" (a UUID made from the
   * store and the key), so a replay meets the first order through the same unique index.
   */
  async placeAtCounter(
    access: { storeId: string; role: 'owner' | 'staff'; accountId: string; mobile: string | null },
    customerId: string,
    items: Array<{ productId: string; qty: number }>,
    address: Address | null,
    idempotencyKey?: string,
  ): Promise<OrderRow> {
    // A name-based UUID (v5): the same store and key, the same id.
    const cartId = idempotencyKey ? uuidv5(`${access.storeId}:${idempotencyKey}`, COUNTER_CARTS) : uuidv4();
    if (idempotencyKey) {
      const replay = await this.db.order.findUnique({ where: { cartId }, include: withLines });
      if (replay) return replay;
    }
    const actor: OrderActor = { role: access.role, id: access.accountId, mobile: access.mobile ?? '' };
    for (let attempt = 0; ; attempt++) {
      const lines = await this.counterLines(items);
      const input: PlaceOrderInput = {
        customerId,
        cart: { id: cartId, storeId: access.storeId, lines },
        address,
        idempotencyKey,
        // Counter orders are ACCEPTED: the limit on a customer's PENDING orders does not apply.
        maxOpenOrders: 2_147_483_647,
        status: 'ACCEPTED',
        actor,
      };
      let answer: PlaceOrderAnswer;
      try {
        answer = await placeOrder(this.db, input);
      } catch (err) {
        if (isUniqueViolation(err)) {
          const replay = await this.db.order.findUnique({ where: { cartId }, include: withLines });
          if (replay) return replay;
        }
        throw err;
      }
      // A price changed between reading it and ordering: read today's prices once more.
      if ('refused' in answer && answer.refused === 'prices-changed' && attempt === 0) continue;
      if ('refused' in answer) throw await this.counterRefusal(answer);
      const committed = committedOrder(answer);
      await this.signal(access.storeId);
      if (committed.limited) await this.catalog.stockChanged(access.storeId);
      return committed.order;
    }
  }

  /** The lines of a counter order at today's prices; an unknown product is 404, one of another store or hidden 409 (place_order says). */
  private async counterLines(items: Array<{ productId: string; qty: number }>): Promise<Cart['lines']> {
    const merged = new Map<string, number>();
    for (const i of items) merged.set(i.productId, (merged.get(i.productId) ?? 0) + i.qty);
    for (const qty of merged.values())
      if (qty > MAX_LINE_QTY) throw new ConflictError(`A line holds at most ${MAX_LINE_QTY} units.`, 'line-limit');
    const products = await this.db.product.findMany({
      where: { id: { in: [...merged.keys()] } },
      select: { id: true, name: true, image: true, mrp: true, salePrice: true },
    });
    const byId = new Map(products.map((p) => [p.id, p]));
    return [...merged].map(([productId, qty]) => {
      const p = byId.get(productId);
      if (!p) throw new NotFoundError('Product');
      return { productId, qty, name: p.name, image: p.image, mrp: decimalToPaise(p.mrp), salePrice: decimalToPaise(p.salePrice) };
    });
  }

  private async counterRefusal(refused: Refusal): Promise<Error> {
    switch (refused.refused) {
      case 'prices-changed':
        return new ConflictError('Prices changed while the order was taken. Try again.', 'prices-changed');
      case 'product-unavailable':
        return new ConflictError(`"${refused.name}" is not available.`, 'product-unavailable');
      case 'out-of-stock':
        return new ConflictError(`Only ${refused.stock} of "${refused.name}" left in stock.`, 'out-of-stock');
      case 'store-closed':
        return STORE_CLOSED();
      case 'too-many-open-orders':
        return new ConflictError('Too many open orders.', 'too-many-open-orders');
    }
  }

  /** Orders of a store by status, every status present (0 when none). */
  async summary(storeId: string): Promise<Record<OrderStatus, number>> {
    const groups = await this.db.order.groupBy({ by: ['status'], where: { storeId }, _count: { _all: true } });
    const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
    for (const g of groups) counts[g.status] = g._count._all;
    return counts;
  }

  /** Customers who ordered at the store, once each, most recent first. */
  async customersOf(storeId: string, { page, limit }: Pagination): Promise<Page<StoreCustomer>> {
    const [rows, totals] = await Promise.all([
      this.db.$queryRaw<Array<{ id: string; mobile: string; name: string | null; order_count: number; last_order_at: Date }>>`
        SELECT c.id, c.mobile, c.name, count(*)::int AS order_count, max(o.created_at) AS last_order_at
        FROM orders o JOIN customers c ON c.id = o.customer_id
        WHERE o.store_id = ${storeId}::uuid
        GROUP BY c.id
        ORDER BY last_order_at DESC, c.id
        LIMIT ${limit} OFFSET ${(page - 1) * limit}`,
      this.db.$queryRaw<Array<{ total: number }>>`
        SELECT count(DISTINCT customer_id)::int AS total FROM orders WHERE store_id = ${storeId}::uuid`,
    ]);
    const items = rows.map((r) => ({ id: r.id, mobile: r.mobile, name: r.name, orderCount: r.order_count, lastOrderAt: r.last_order_at }));
    return { items, page, limit, total: totals[0]?.total ?? 0 };
  }

  private where(scope: OrderScope): Prisma.OrderWhereInput {
    return 'customerId' in scope ? { customerId: scope.customerId } : { storeId: scope.storeId };
  }

  private async byIdempotencyKey(customerId: string, key: string, cartId: string): Promise<OrderRow | null> {
    const order = await this.db.order.findUnique({
      where: { customerId_idempotencyKey: { customerId, idempotencyKey: key } },
      include: withLines,
    });
    if (!order) return null;
    if (order.cartId !== cartId.toLowerCase()) {
      throw new ConflictError('This Idempotency-Key was already used for another cart.', 'idempotency-key-reused');
    }
    return order;
  }

  private async savedAddress(customerId: string): Promise<Address> {
    const customer = await this.customers.get(customerId);
    if (!customer.address) {
      throw new ValidationError([{ path: 'address', message: 'is required: give one, or save one on your profile first' }]);
    }
    return customer.address as unknown as Address;
  }

  /** A leftover cart cannot be ordered twice (its id is unique among orders), so a failure here is only logged. */
  private async forgetCart(cartId: string): Promise<void> {
    await this.carts.delete(cartId).catch((err: unknown) => this.logger.warn({ err, cartId }, 'could not delete an ordered cart'));
  }
}
