import type { Logger } from 'pino';
import type { Db } from '../db/prisma';
import { decimalToPaise, paiseToDecimalString } from '../domain/money';
import type { OrderStatus } from '../domain/order-status';
import type { SmsJob, SmsMessage } from '../jobs/sms-queue';
import type { EventConsumer, RelayedEvent } from './events/relay';

export interface SmsOutbox {
  /** Enqueues the jobs, each delivered and retried on its own; an id already queued is not queued twice. */
  enqueue(...jobs: Array<{ data: SmsJob; id?: string }>): Promise<void>;
}

/** What an order's messages say. */
interface OrderFacts {
  id: string;
  storeId: string;
  storeName: string;
  sellerMobile: string;
  customerMobile: string | null;
  /** Who made the order: the customer (checkout) or the shop (a counter order). */
  placedBy: string;
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
 * Text messages. Order messages are one consumer of the event pipeline (the relay hands it every
 * committed event): `order.created` and a store's `order.status_changed` become SMS, one job per
 * event under an id made from the event's, so an event relayed twice is not texted twice. Staff invitations are
 * sent as they happen; callers never wait for them, and `drain()` waits for those in flight.
 */
export class NotificationService implements EventConsumer {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly outbox: SmsOutbox,
    private readonly logger: Logger,
    /** The mobiles of a store's staff with `orders` (StoreAccessService: cached, no query per order). */
    private readonly staffOf: (storeId: string) => Promise<string[]>,
  ) {}

  async consume(_tx: unknown, events: RelayedEvent[]): Promise<void> {
    const jobs = await this.messagesFor(events);
    if (jobs.length > 0) await this.outbox.enqueue(...jobs);
  }

  /**
   * A buyer's order: the customer, and the store's owner and every staff member with `orders`. A
   * counter order: the customer hears it is accepted (the shop knows). A change the store made:
   * the customer (they know what they did themselves).
   */
  async messagesFor(events: RelayedEvent[]): Promise<Array<{ data: SmsJob; id: string }>> {
    const told = events.filter(
      (e) =>
        e.type === 'order.created' ||
        (e.type === 'order.status_changed' &&
          (e.data.by as { role?: string } | undefined)?.role !== 'customer' &&
          STATUS_TEXT[e.data.to as OrderStatus] !== undefined),
    );
    if (told.length === 0) return [];
    const facts = await this.load(told.map((e) => e.data.orderId as string));
    const jobs: Array<{ data: SmsJob; id: string }> = [];
    for (const e of told) {
      const o = facts.get(e.data.orderId as string);
      if (!o?.customerMobile) continue;
      const texts: SmsMessage[] = [];
      const items = `${o.items} item${o.items === 1 ? '' : 's'}`;
      if (e.type === 'order.status_changed') {
        texts.push({
          to: o.customerMobile,
          text: `Dukaan: your order ${orderRef(o.id)} ${STATUS_TEXT[e.data.to as OrderStatus]} ${quoted(o.storeName)}.`,
        });
      } else if (o.placedBy !== 'customer') {
        texts.push({
          to: o.customerMobile,
          text: `Dukaan: your order ${orderRef(o.id)} at ${quoted(o.storeName)} is accepted: ${items}, Rs ${o.total}.`,
        });
      } else {
        const sellerText = `Dukaan: new order ${orderRef(o.id)} at ${quoted(o.storeName)}: ${items}, Rs ${o.total}, from ${o.customerMobile}.`;
        texts.push(
          {
            to: o.customerMobile,
            text: `Dukaan: your order ${orderRef(o.id)} at ${quoted(o.storeName)} is placed: ${items}, Rs ${o.total}. We will tell you when the store accepts it.`,
          },
          ...[o.sellerMobile, ...(await this.staffOf(o.storeId))].map((to) => ({ to, text: sellerText })),
        );
      }
      jobs.push({ data: { messages: texts }, id: `sms-evt${e.id}` });
    }
    return jobs;
  }

  /** Someone was made staff of a store: they learn where, and how to get in. */
  staffAdded(mobile: string, storeName: string): void {
    this.track(async () => {
      await this.outbox.enqueue({
        data: {
          messages: [
            {
              to: mobile,
              text: `Dukaan: you were added to the staff of ${quoted(storeName)}. Sign in to the Dukaan seller app with this mobile to find it.`,
            },
          ],
        },
      });
    });
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  /** One round trip for everything the messages of these orders need. */
  private async load(orderIds: string[]): Promise<Map<string, OrderFacts>> {
    const rows = await this.db.$queryRaw<
      Array<{
        id: string;
        store_id: string;
        store_name: string;
        seller_mobile: string;
        customer_mobile: string | null;
        placed_by: string | null;
        items: number;
        total: string;
      }>
    >`
      SELECT o.id, o.store_id, s.name AS store_name, a.mobile AS seller_mobile, c.mobile AS customer_mobile,
             (SELECT h.actor_role FROM order_history h WHERE h.order_id = o.id ORDER BY h.at, h.id LIMIT 1) AS placed_by,
             (SELECT sum(qty)::int FROM order_lines WHERE order_id = o.id) AS items,
             (SELECT sum(sale_price * qty)::text FROM order_lines WHERE order_id = o.id) AS total
      FROM orders o JOIN stores s ON s.id = o.store_id JOIN accounts a ON a.id = s.seller_id JOIN customers c ON c.id = o.customer_id
      WHERE o.id = ANY(${orderIds}::uuid[])`;
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          storeId: r.store_id,
          storeName: r.store_name,
          sellerMobile: r.seller_mobile,
          customerMobile: r.customer_mobile,
          placedBy: r.placed_by ?? 'customer',
          items: r.items,
          total: paiseToDecimalString(decimalToPaise(r.total)),
        },
      ]),
    );
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
