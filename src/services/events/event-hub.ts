import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Db } from '../../db/prisma';
import type { EventType } from './outbox';
import type { OutboxRow, SellerEventData } from './seller-data';

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

type Row = OutboxRow;

/** The public stream's stock of one product: when it was last sent, and the value held back since. */
interface StockPace {
  sentAt: number;
  held: number | null;
  timer: NodeJS.Timeout | null;
}

interface StoreEntry {
  subscribers: Set<Subscriber>;
  pulling: Promise<void> | null;
  again: boolean;
  /** The last seq handed to this store's streams here. */
  last: bigint;
  stock: Map<string, StockPace>;
}

export const SIGNAL_CHANNEL = 'events';
/** The public stream sends at most one stock event per product per this many ms (the last value wins). */
export const STOCK_PACE_MS = 1_000;
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
  /** What the seller stream says of each event. */
  sellerData: SellerEventData;
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
  private readonly stores = new Map<string, StoreEntry>();
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
      for (const [storeId, entry] of this.stores) {
        this.pull(storeId);
        for (const [productId, pace] of entry.stock)
          if (!pace.timer && Date.now() - pace.sentAt >= STOCK_PACE_MS) entry.stock.delete(productId);
      }
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
        await this.deliver(storeId, [subscriber], latestOfEachProduct(missed, audience), null);
      }
    }
    let entry = this.stores.get(storeId);
    if (!entry) this.stores.set(storeId, (entry = { subscribers: new Set(), pulling: null, again: false, last: latest, stock: new Map() }));
    entry.subscribers.add(subscriber);
    // Anything committed while this stream was being opened.
    this.pull(storeId);
    return () => {
      entry.subscribers.delete(subscriber);
      if (entry.subscribers.size === 0 && this.stores.get(storeId) === entry) {
        this.stores.delete(storeId);
        stopPacing(entry);
      }
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
    for (const entry of this.stores.values()) stopPacing(entry);
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
        await this.deliver(storeId, subscribers, rows, entry);
        if (rows.length === 500) entry.again = true;
      } while (entry.again);
    })()
      .catch((err: unknown) => this.logger.warn({ err, storeId }, 'could not read store events'))
      .finally(() => {
        entry.pulling = null;
      });
  }

  /**
   * Hands rows to the subscribers that have not had them. Live (with the store's entry), the public
   * stream's stock events are paced: one per product per STOCK_PACE_MS, the last value winning.
   */
  private async deliver(storeId: string, subscribers: Subscriber[], rows: Row[], entry: StoreEntry | null): Promise<void> {
    for (const row of rows) {
      const wanted = subscribers.filter((s) => s.last < row.seq);
      const seller = wanted.filter((s) => s.audience === 'seller' && TYPES.seller.has(row.type));
      const anyone = wanted.filter((s) => s.audience === 'public' && TYPES.public.has(row.type));
      if (seller.length > 0) {
        const data = await this.options.sellerData.of(storeId, row);
        if (data) for (const s of seller) s.send({ id: String(row.seq), type: row.type, data });
      }
      if (entry && row.seq > entry.last) entry.last = row.seq;
      if (anyone.length > 0) {
        if (row.type === 'product.stock_changed' && entry) this.paceStock(entry, row, anyone);
        else {
          const data = row.type === 'product.stock_changed' ? { productId: row.data.productId, stock: row.data.stock } : {};
          for (const s of anyone) s.send({ id: String(row.seq), type: row.type, data });
        }
      }
      for (const s of wanted) s.last = row.seq;
    }
  }

  /**
   * A stock event for the public streams: sent now if the product's last one went at least
   * STOCK_PACE_MS ago, else held and sent when that time is up, with the newest value by then. A
   * held event goes out under the store's latest id, which is true of it: the stock it carries is
   * the stock as of that id.
   */
  private paceStock(entry: StoreEntry, row: Row, due: Subscriber[]): void {
    const productId = row.data.productId as string;
    const stock = row.data.stock as number;
    const pace = entry.stock.get(productId);
    const send = (to: Iterable<Subscriber>, id: bigint, value: number) => {
      for (const s of to)
        if (s.audience === 'public') s.send({ id: String(id), type: 'product.stock_changed', data: { productId, stock: value } });
    };
    if (!pace || Date.now() - pace.sentAt >= STOCK_PACE_MS) {
      send(due, row.seq, stock);
      entry.stock.set(productId, { sentAt: Date.now(), held: null, timer: null });
      return;
    }
    pace.held = stock;
    pace.timer ??= setTimeout(
      () => {
        pace.timer = null;
        if (pace.held === null) return;
        send(entry.subscribers, entry.last, pace.held);
        pace.held = null;
        pace.sentAt = Date.now();
      },
      STOCK_PACE_MS - (Date.now() - pace.sentAt),
    ).unref();
  }
}

/** Drops the stock events a store's entry still holds back (its last stream went, or the hub closes). */
function stopPacing(entry: StoreEntry): void {
  for (const pace of entry.stock.values()) if (pace.timer) clearTimeout(pace.timer);
}

/** A replay to a public stream sends each product's stock once: its newest value. */
function latestOfEachProduct(rows: Row[], audience: Audience): Row[] {
  if (audience !== 'public') return rows;
  const newest = new Map<string, bigint>();
  for (const r of rows) if (r.type === 'product.stock_changed') newest.set(r.data.productId as string, r.seq);
  return rows.filter((r) => r.type !== 'product.stock_changed' || newest.get(r.data.productId as string) === r.seq);
}
