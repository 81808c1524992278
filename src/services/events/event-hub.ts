import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Db } from '../../db/prisma';
import type { EventType } from './outbox';

/** Who a stream is for: the store's people (orders, stock with sales) or anyone (stock, catalog). */
export type Audience = 'seller' | 'public';

/** One event as a stream sends it: its id (the store's seq), its type and its data. */
export interface StreamEvent {
  id: string;
  type: EventType | 'resync';
  data: object;
}

interface Subscriber {
  audience: Audience;
  /** The seq of the last event this subscriber was sent. */
  last: bigint;
  send(event: StreamEvent): void;
}

interface Row {
  seq: bigint;
  type: EventType;
  data: Record<string, unknown>;
}

const SIGNAL_CHANNEL = 'events';
/** Events replayed after Last-Event-ID at most, and how far back (the contract's 24 hours). */
const MAX_REPLAY = 1_000;
export const HISTORY_MS = 24 * 60 * 60 * 1000;

const TYPES: Record<Audience, ReadonlySet<EventType>> = {
  seller: new Set(['order.created', 'order.status_changed', 'product.stock_changed']),
  public: new Set(['product.stock_changed', 'catalog.changed']),
};

export interface EventHubOptions {
  /** How often stores with open streams are checked for events a lost signal did not announce. */
  pollMs: number;
  /** The order as the store sees it, for `order.created` (null if it is gone). */
  describeOrder(storeId: string, orderId: string): Promise<object | null>;
}

/**
 * The one pipeline every stream reads. Changes write their events to the outbox (store_events) in
 * their own transaction; after the commit, the instance that made the change signals the store on
 * Redis pub/sub, and every instance holding streams of that store reads the new events from the
 * outbox, in seq order (commit order), once per instance, and hands each stream what its audience
 * may see. A signal lost (a crash right after a commit, Redis away) is caught by the poll; a
 * stream reconnecting after Last-Event-ID is replayed from the outbox.
 */
export class EventHub {
  private readonly stores = new Map<string, { subscribers: Set<Subscriber>; pulling: Promise<void> | null; again: boolean }>();
  private subscriber: Redis | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** How to end each open stream (shutdown ends them all so the server can close). */
  private readonly endings = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly options: EventHubOptions,
  ) {}

  start(): void {
    // A connection of its own (a subscribed connection can do nothing else); it subscribes once
    // connected, and ioredis subscribes again after every reconnection.
    const subscriber = (this.subscriber = this.redis.duplicate());
    subscriber.on('error', () => undefined);
    subscriber.on('message', (_channel, storeId: string) => this.pull(storeId));
    subscriber.once('ready', () => {
      subscriber.subscribe(SIGNAL_CHANNEL).catch((err: unknown) => this.logger.warn({ err }, 'event signals unavailable; polling'));
    });
    this.timer = setInterval(() => {
      for (const storeId of this.stores.keys()) this.pull(storeId);
    }, this.options.pollMs);
    this.timer.unref();
  }

  /** After a commit that emitted events: every instance reads them now rather than at its next poll. */
  async signal(storeId: string): Promise<void> {
    if (this.closed) return;
    await this.redis.publish(SIGNAL_CHANNEL, storeId).catch(() => undefined);
  }

  /**
   * Opens a stream of a store: after `lastEventId`, the events missed (or one `resync` when they
   * are no longer all there), then each new one. Returns the function that closes it.
   */
  async open(storeId: string, audience: Audience, lastEventId: string | undefined, send: (e: StreamEvent) => void): Promise<() => void> {
    const latest = await this.latestSeq(storeId);
    const subscriber: Subscriber = { audience, last: latest, send };
    const after = lastEventId !== undefined && /^\d{1,18}$/.test(lastEventId) ? BigInt(lastEventId) : undefined;
    if (lastEventId !== undefined && (after === undefined || after > latest)) {
      send({ id: String(latest), type: 'resync', data: {} });
    } else if (after !== undefined && after < latest) {
      const missed = await this.db.$queryRaw<Row[]>`
        SELECT seq, type, data FROM store_events
        WHERE store_id = ${storeId}::uuid AND seq > ${after} AND created_at > now() - make_interval(secs => ${HISTORY_MS / 1000})
        ORDER BY seq LIMIT ${MAX_REPLAY + 1}`;
      // The history runs out (too old, or too much): the client refetches over REST.
      if (missed.length === 0 || missed[0]!.seq !== after + 1n || missed.length > MAX_REPLAY) {
        send({ id: String(latest), type: 'resync', data: {} });
      } else {
        subscriber.last = after;
        await this.deliver(storeId, [subscriber], missed);
      }
    }
    let entry = this.stores.get(storeId);
    if (!entry) this.stores.set(storeId, (entry = { subscribers: new Set(), pulling: null, again: false }));
    entry.subscribers.add(subscriber);
    // Anything committed while this stream was being opened.
    this.pull(storeId);
    return () => {
      entry.subscribers.delete(subscriber);
      if (entry.subscribers.size === 0 && this.stores.get(storeId) === entry) this.stores.delete(storeId);
    };
  }

  /** Keeps `end` until `forget` is called; endAll calls every one kept. */
  track(end: () => void): () => void {
    this.endings.add(end);
    return () => this.endings.delete(end);
  }

  /** Ends every open stream (graceful shutdown: SIGTERM must not wait for streams that never end). */
  endAll(): void {
    for (const end of [...this.endings]) end();
  }

  /** Ends the streams, stops reading, and waits for reads under way (the database is closed next). */
  async close(): Promise<void> {
    this.closed = true;
    this.endAll();
    if (this.timer) clearInterval(this.timer);
    this.subscriber?.disconnect();
    const reads = [...this.stores.values()].map((e) => e.pulling);
    this.stores.clear();
    await Promise.allSettled(reads);
  }

  private async latestSeq(storeId: string): Promise<bigint> {
    const rows = await this.db.$queryRaw<
      Array<{ seq: bigint | null }>
    >`SELECT max(seq) AS seq FROM store_events WHERE store_id = ${storeId}::uuid`;
    return rows[0]?.seq ?? 0n;
  }

  /** Reads a store's new events once for all its streams here; a signal during a read reads again after it. */
  private pull(storeId: string): void {
    const entry = this.stores.get(storeId);
    if (!entry || this.closed) return;
    if (entry.pulling) {
      entry.again = true;
      return;
    }
    entry.pulling = (async () => {
      do {
        entry.again = false;
        const subscribers = [...entry.subscribers];
        if (subscribers.length === 0) break;
        const from = subscribers.reduce((min, s) => (s.last < min ? s.last : min), subscribers[0]!.last);
        const rows = await this.db.$queryRaw<Row[]>`
          SELECT seq, type, data FROM store_events WHERE store_id = ${storeId}::uuid AND seq > ${from} ORDER BY seq LIMIT 500`;
        await this.deliver(storeId, subscribers, rows);
        if (rows.length === 500) entry.again = true;
      } while (entry.again);
    })()
      .catch((err: unknown) => this.logger.warn({ err, storeId }, 'could not read store events'))
      .finally(() => {
        entry.pulling = null;
      });
  }

  private async deliver(storeId: string, subscribers: Subscriber[], rows: Row[]): Promise<void> {
    for (const row of rows) {
      const wanted = subscribers.filter((s) => s.last < row.seq);
      const seller = wanted.filter((s) => s.audience === 'seller' && TYPES.seller.has(row.type));
      const anyone = wanted.filter((s) => s.audience === 'public' && TYPES.public.has(row.type));
      if (seller.length > 0) {
        const data = await this.sellerData(storeId, row);
        if (data) for (const s of seller) s.send({ id: String(row.seq), type: row.type, data });
      }
      if (anyone.length > 0) {
        const data = row.type === 'product.stock_changed' ? { productId: row.data.productId, stock: row.data.stock } : {};
        for (const s of anyone) s.send({ id: String(row.seq), type: row.type, data });
      }
      for (const s of wanted) s.last = row.seq;
    }
  }

  /** What the seller stream says of an event: the order itself, or the stock with the units sold. */
  private async sellerData(storeId: string, row: Row): Promise<object | null> {
    if (row.type === 'order.created') return this.options.describeOrder(storeId, row.data.orderId as string);
    if (row.type === 'product.stock_changed') {
      const sold = await this.db.$queryRaw<Array<{ sold: number }>>`
        SELECT coalesce(sum(l.qty), 0)::int AS sold FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE l.product_id = ${row.data.productId as string}::uuid AND o.status NOT IN ('CANCELLED', 'REJECTED')`;
      return { productId: row.data.productId, stock: row.data.stock, sold: sold[0]?.sold ?? 0 };
    }
    return row.data;
  }
}
