import type { Logger } from 'pino';
import type { Db } from '../db/prisma';
import { decimalToPaise, paiseToDecimalString } from '../domain/money';
import type { OrderStatus } from '../domain/order-status';
import type { SmsJob } from '../jobs/sms-queue';

export interface SmsOutbox {
  /** Enqueues the messages, each to be delivered and retried on its own. */
  enqueue(...jobs: SmsJob[]): Promise<void>;
}

/** What the order-placed messages say, as checkout already knows it. */
export interface PlacedOrderFacts {
  id: string;
  storeId: string;
  storeName: string;
  sellerMobile: string;
  customerMobile: string;
  /** Units. */
  items: number;
  /** Rupees, as a decimal string. */
  total: string;
}

const ENQUEUE_TIMEOUT_MS = 3_000;

const STATUS_TEXT: Partial<Record<OrderStatus, string>> = {
  ACCEPTED: 'has been accepted by',
  REJECTED: 'could not be taken by',
  SHIPPED: 'has been shipped by',
  DELIVERED: 'has been delivered by',
  CANCELLED: 'has been cancelled by',
};

/** Seller-written text in an SMS is cut to this many characters. */
export const MAX_QUOTED = 40;

/**
 * Seller-written text as an SMS quotes it: in quotes, cut to MAX_QUOTED characters (whole code
 * points), so a store name cannot pose as the platform's own words ("Dukaan ALERT: …") or fill
 * the message. Names hold no control characters (the schemas refuse them); whitespace is folded
 * here too, for names stored before that rule.
 */
export function quoted(sellerText: string): string {
  const folded = sellerText
    .replace(/\s+/gu, ' ')
    .replace(/["\u201C\u201D]/g, "'")
    .trim();
  const chars = [...folded];
  return `"${chars.length > MAX_QUOTED ? `${chars.slice(0, MAX_QUOTED - 1).join('')}…` : folded}"`;
}

/** A short, human reference: the random tail of the id (a UUIDv7's head is only a timestamp). */
export function orderRef(orderId: string): string {
  return `#${orderId.replace(/-/g, '').slice(-8).toUpperCase()}`;
}

/**
 * Order notifications. Callers never wait: the messages are built and enqueued in the
 * background, and a failure is logged, never passed on, so an order is never slowed or failed by
 * them. `drain()` waits for what is in flight (shutdown, tests).
 */
export class NotificationService {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly outbox: SmsOutbox,
    private readonly logger: Logger,
    /** The mobiles of a store's staff with `orders` (StoreAccessService: cached, no query per order). */
    private readonly staffOf: (storeId: string) => Promise<string[]>,
  ) {}

  /** A buyer's order: the customer, and the store's owner and every staff member with `orders`. */
  orderPlaced(o: PlacedOrderFacts): void {
    this.track(async () => {
      const items = `${o.items} item${o.items === 1 ? '' : 's'}`;
      const staff = await this.staffOf(o.storeId);
      const sellerText = `Dukaan: new order ${orderRef(o.id)} at ${quoted(o.storeName)}: ${items}, Rs ${o.total}, from ${o.customerMobile}.`;
      await this.outbox.enqueue(
        {
          to: o.customerMobile,
          text: `Dukaan: your order ${orderRef(o.id)} at ${quoted(o.storeName)} is placed: ${items}, Rs ${o.total}. We will tell you when the store accepts it.`,
        },
        ...[o.sellerMobile, ...staff].map((to) => ({ to, text: sellerText })),
      );
    });
  }

  /** An order the shop took at the counter: the customer hears it is accepted (the shop knows). */
  orderTaken(o: PlacedOrderFacts): void {
    this.track(async () => {
      const items = `${o.items} item${o.items === 1 ? '' : 's'}`;
      await this.outbox.enqueue({
        to: o.customerMobile,
        text: `Dukaan: your order ${orderRef(o.id)} at ${quoted(o.storeName)} is accepted: ${items}, Rs ${o.total}.`,
      });
    });
  }

  /** Someone was made staff of a store: they learn where, and how to get in. */
  staffAdded(mobile: string, storeName: string): void {
    this.track(async () => {
      await this.outbox.enqueue({
        to: mobile,
        text: `Dukaan: you were added to the staff of ${quoted(storeName)}. Sign in to the Dukaan seller app with this mobile to find it.`,
      });
    });
  }

  statusChanged(orderId: string, status: OrderStatus): void {
    const verb = STATUS_TEXT[status];
    if (!verb) return;
    this.track(async () => {
      const o = await this.load(orderId);
      if (!o) return;
      await this.outbox.enqueue({ to: o.customerMobile, text: `Dukaan: your order ${orderRef(o.id)} ${verb} ${quoted(o.storeName)}.` });
    });
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  /** One round trip for everything a message needs. */
  private async load(orderId: string) {
    const rows = await this.db.$queryRaw<
      Array<{ id: string; store_name: string; seller_mobile: string; customer_mobile: string; items: number; total: string }>
    >`
      SELECT o.id, s.name AS store_name, a.mobile AS seller_mobile, c.mobile AS customer_mobile,
             (SELECT sum(qty)::int FROM order_lines WHERE order_id = o.id) AS items,
             (SELECT sum(sale_price * qty)::text FROM order_lines WHERE order_id = o.id) AS total
      FROM orders o JOIN stores s ON s.id = o.store_id JOIN accounts a ON a.id = s.seller_id JOIN customers c ON c.id = o.customer_id
      WHERE o.id = ${orderId}::uuid`;
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      storeName: r.store_name,
      sellerMobile: r.seller_mobile,
      customerMobile: r.customer_mobile,
      items: r.items,
      total: paiseToDecimalString(decimalToPaise(r.total)),
    };
  }

  private track(work: () => Promise<void>): void {
    // Bounded: with Redis away, enqueueing must give up rather than keep shutdown waiting.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('enqueueing a notification timed out')), ENQUEUE_TIMEOUT_MS);
    });
    const p = Promise.race([work(), timeout])
      .catch((err: unknown) => this.logger.error({ err }, 'could not enqueue a notification'))
      .finally(() => {
        clearTimeout(timer);
        this.pending.delete(p);
      });
    this.pending.add(p);
  }
}
