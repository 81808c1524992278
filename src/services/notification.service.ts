import type { Logger } from 'pino';
import type { Db } from '../db/prisma';
import { decimalToPaise, paiseToDecimalString } from '../domain/money';
import type { OrderStatus } from '../domain/order-status';
import type { SmsJob } from '../jobs/sms-queue';

export interface SmsOutbox {
  enqueue(job: SmsJob): Promise<void>;
}

const ENQUEUE_TIMEOUT_MS = 3_000;

const STATUS_TEXT: Partial<Record<OrderStatus, string>> = {
  ACCEPTED: 'has been accepted by',
  REJECTED: 'could not be taken by',
  SHIPPED: 'has been shipped by',
  DELIVERED: 'has been delivered by',
  CANCELLED: 'has been cancelled by',
};

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
  ) {}

  orderPlaced(orderId: string): void {
    this.track(async () => {
      const o = await this.load(orderId);
      if (!o) return;
      const total = paiseToDecimalString(o.lines.reduce((sum, l) => sum + decimalToPaise(l.salePrice) * l.qty, 0));
      const items = o.lines.reduce((n, l) => n + l.qty, 0);
      await this.outbox.enqueue({
        to: o.customer.mobile,
        text: `Dukaan: your order ${orderRef(o.id)} at ${o.store.name} is placed: ${items} item${items === 1 ? '' : 's'}, Rs ${total}. We will tell you when the store accepts it.`,
      });
      await this.outbox.enqueue({
        to: o.store.seller.mobile,
        text: `Dukaan: new order ${orderRef(o.id)} at ${o.store.name}: ${items} item${items === 1 ? '' : 's'}, Rs ${total}, from ${o.customer.mobile}.`,
      });
    });
  }

  statusChanged(orderId: string, status: OrderStatus): void {
    const verb = STATUS_TEXT[status];
    if (!verb) return;
    this.track(async () => {
      const o = await this.load(orderId);
      if (!o) return;
      await this.outbox.enqueue({ to: o.customer.mobile, text: `Dukaan: your order ${orderRef(o.id)} ${verb} ${o.store.name}.` });
    });
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private load(orderId: string) {
    return this.db.order.findUnique({
      where: { id: orderId },
      select: {
        id: true,
        lines: { select: { salePrice: true, qty: true } },
        customer: { select: { mobile: true } },
        store: { select: { name: true, seller: { select: { mobile: true } } } },
      },
    });
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
