import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Db } from '../../db/prisma';
import type { Prisma } from '../../generated/prisma/client';
import { HISTORY_MS, SIGNAL_CHANNEL } from './event-hub';
import type { EventType } from './outbox';

/** A committed event as the relay hands it to consumers. */
export interface RelayedEvent {
  /** Unique across stores (the outbox row's id); webhooks call it evt_<id>. */
  id: bigint;
  storeId: string;
  /** The store's own number for it (the streams' event id). */
  seq: bigint;
  type: EventType;
  data: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Something done with every committed event, after its commit: webhook deliveries, SMS. It runs
 * inside the relay's transaction and should only record and enqueue (no slow calls): its work
 * commits with the events being marked relayed, and if it throws, the batch is relayed again
 * later, so it must be idempotent (enqueue under ids made from the event's). What must wait for
 * the commit (a job that reads the rows just written) it returns, to be run after it; `sweep`,
 * run every minute, picks up what a crash between the two left behind.
 */
export interface EventConsumer {
  consume(tx: Prisma.TransactionClient, events: RelayedEvent[]): Promise<void | AfterCommit>;
  sweep?(): Promise<void>;
}

export type AfterCommit = () => Promise<void>;

const BATCH = 200;
/** Webhook deliveries are kept at least 7 days (the contract); a day more before they go. */
const DELIVERIES_KEPT_DAYS = 8;
const PRUNE_EVERY_MS = 10 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 1000;
/**
 * A signal is answered this long after it comes, so that under load one batch carries the events
 * of many orders (each batch costs a transaction and a few queries, whatever its size). SMS and
 * webhooks are not in a hurry of 50 ms; the streams do not wait for the relay at all.
 */
const GATHER_MS = 50;

/**
 * The outbox's relay: reads committed events not yet relayed (store_events.relayed_at null), hands
 * each batch to every consumer and marks it relayed, in one transaction. Instances share the work
 * (FOR UPDATE SKIP LOCKED: each batch goes to one relay); an event committed by a process that
 * died before relaying it is relayed by whichever relay runs next. It wakes on the streams' Redis
 * signal and polls besides, and prunes: events past the streams' history, deliveries past 7 days.
 */
export class EventRelay {
  private subscriber: Redis | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private gathering: NodeJS.Timeout | null = null;
  private again = false;
  private lastPrune = 0;
  private lastSweep = Date.now();
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly consumers: EventConsumer[],
    private readonly pollMs: number,
  ) {}

  start(): void {
    const subscriber = (this.subscriber = this.redis.duplicate());
    subscriber.on('error', () => undefined);
    subscriber.on('message', () => {
      this.gathering ??= setTimeout(() => {
        this.gathering = null;
        void this.kick();
      }, GATHER_MS);
    });
    subscriber.once('ready', () => {
      subscriber.subscribe(SIGNAL_CHANNEL).catch(() => undefined);
    });
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Relays what is waiting now (a signal, the poll, or a test that wants it done). */
  kick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        while ((await this.relayBatch()) === BATCH && !this.closed);
      } while (this.again && !this.closed);
      if (Date.now() - this.lastSweep > SWEEP_EVERY_MS) await this.sweep();
      if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) await this.prune();
    })()
      .catch((err: unknown) => this.logger.warn({ err }, 'relaying events failed; trying again at the next poll'))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Events committed and not yet relayed (tests wait for none). */
  async waiting(): Promise<number> {
    const rows = await this.db.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM store_events WHERE relayed_at IS NULL`;
    return rows[0]?.n ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.gathering) clearTimeout(this.gathering);
    this.subscriber?.disconnect();
    await this.running;
  }

  private async relayBatch(): Promise<number> {
    const after: AfterCommit[] = [];
    const relayed = await this.db.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<
          Array<{ id: bigint; store_id: string; seq: bigint; type: EventType; data: Record<string, unknown>; created_at: Date }>
        >`SELECT id, store_id, seq, type, data, created_at FROM store_events WHERE relayed_at IS NULL
          ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return 0;
        // In id order, which within a store is seq (commit) order: emit_event inserts, and so takes
        // its id, while holding the store's lock.
        const events: RelayedEvent[] = rows.map((r) => ({
          id: r.id,
          storeId: r.store_id,
          seq: r.seq,
          type: r.type,
          data: r.data,
          createdAt: r.created_at,
        }));
        for (const consumer of this.consumers) {
          const then = await consumer.consume(tx, events);
          if (then) after.push(then);
        }
        await tx.$executeRaw`UPDATE store_events SET relayed_at = now() WHERE id = ANY(${rows.map((r) => r.id)}::bigint[])`;
        return rows.length;
      },
      { timeout: 30_000 },
    );
    for (const then of after) await then().catch((err: unknown) => this.logger.warn({ err }, 'after relaying: will be swept up'));
    return relayed;
  }

  private async sweep(): Promise<void> {
    this.lastSweep = Date.now();
    for (const consumer of this.consumers) await consumer.sweep?.();
  }

  /**
   * Drops what is no longer owed: relayed events older than the streams' history (each store keeps
   * its newest, which holds its seq count), and deliveries past DELIVERIES_KEPT_DAYS, whatever
   * their status (retries span about a day: one still pending by then lost its job).
   */
  async prune(): Promise<void> {
    this.lastPrune = Date.now();
    await this.db.$executeRaw`
      DELETE FROM store_events e WHERE e.relayed_at IS NOT NULL
        AND e.created_at < now() - make_interval(secs => ${HISTORY_MS / 1000 + 3600})
        AND e.seq < (SELECT max(seq) FROM store_events m WHERE m.store_id = e.store_id)`;
    await this.db.$executeRaw`
      DELETE FROM webhook_deliveries WHERE created_at < now() - make_interval(days => ${DELIVERIES_KEPT_DAYS})`;
  }
}
