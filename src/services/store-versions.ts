import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** What a change to a store must tell, after its transaction commits. */
export interface StoreChanges {
  /** Anything buyers see changed: products, categories, prices, the store's name or address. */
  changed(storeId: string): Promise<void>;
  /** Only the stock (and so `updatedAt`) of products already shown changed: an order, a cancel. */
  stockChanged(storeId: string): Promise<void>;
}

/**
 * A store's version, as random tokens: `any` is replaced by every change, `content` by every
 * change but stock's. Tokens are random rather than counters so that a Redis restart (which
 * empties it) can never make an old value match again.
 */
export interface StoreVersion {
  any: string;
  content: string;
  /** Who may do what in the store (its owner and staff): replaced by every change to the staff. */
  access: string;
}

/** The bound on staleness of what is cached under a version, should Redis fail between a commit and its version write. */
export const MAX_AGE_MS = 30_000;

/**
 * The one owner of stores' versions, kept in Redis so that every instance sees a change at once.
 * What instances cache about a store (its catalog, its public details, the products cart adds
 * read) is valid while the version it was read under is current: the catalog and the store page
 * compare it before answering, and the cart-add script compares `any` atomically with the add
 * (see `key`).
 */
export class StoreVersions implements StoreChanges {
  /**
   * Reads asked for in one turn of the event loop share one Redis read per store, sent at the end
   * of that turn. Each caller still gets a version read after its call (the read leaves later,
   * never earlier), so sharing loses no change; under load, the catalog and store-page requests
   * one turn answers share one Redis round trip instead of taking one each.
   */
  private readonly reads = new DataLoader<string, StoreVersion>((storeIds) => this.readMany(storeIds), {
    cache: false,
    batchScheduleFn: (dispatch) => setImmediate(dispatch),
  });

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    /** Told of every change after its commit (the event streams read the store's new events). */
    private readonly onChange: (storeId: string) => Promise<void> = async () => undefined,
  ) {}

  /** The Redis key of a store's version: a hash of `any`, `content` and `access` (the cart-add script reads `any`). */
  static key(storeId: string): string {
    return `store:version:${storeId}`;
  }

  async changed(storeId: string): Promise<void> {
    await this.write(storeId, this.redis.hset(StoreVersions.key(storeId), 'any', randomUUID(), 'content', randomUUID()));
    await this.onChange(storeId);
  }

  async stockChanged(storeId: string): Promise<void> {
    await this.write(storeId, this.redis.hset(StoreVersions.key(storeId), 'any', randomUUID()));
    await this.onChange(storeId);
  }

  /** The store's staff changed (added, removed, permissions), or its owner left: access is decided anew. */
  async accessChanged(storeId: string): Promise<void> {
    await this.write(storeId, this.redis.hset(StoreVersions.key(storeId), 'access', randomUUID()));
  }

  /**
   * The store's current version, made if it has none (a store never changed, Redis emptied or the
   * key evicted: new tokens match nothing cached, which is safe). Whatever is read from PostgreSQL
   * once it has resolved may be cached under the version returned: a change committed since
   * replaces it. (Not merely after the call: the read itself leaves at the end of the turn.)
   */
  read(storeId: string): Promise<StoreVersion> {
    return this.reads.load(storeId);
  }

  /**
   * One read per store named, whatever the number of callers. A failure fails the turn's callers
   * with the error as Redis gave it (what the error handler maps to 503): Redis failing fails them
   * all anyway.
   */
  private async readMany(storeIds: readonly string[]): Promise<StoreVersion[]> {
    const unique = [...new Set(storeIds)];
    const read = await Promise.all(unique.map((storeId) => this.readNow(storeId)));
    const byStore = new Map(unique.map((storeId, i) => [storeId, read[i]!]));
    return storeIds.map((storeId) => byStore.get(storeId)!);
  }

  private async readNow(storeId: string): Promise<StoreVersion> {
    const key = StoreVersions.key(storeId);
    const version = await this.redis.hgetall(key);
    if (version.any && version.content && version.access) return { any: version.any, content: version.content, access: version.access };
    // HSETNX: a concurrent change's (or reader's) tokens win over ours.
    const made = await this.redis
      .multi()
      .hsetnx(key, 'any', randomUUID())
      .hsetnx(key, 'content', randomUUID())
      .hsetnx(key, 'access', randomUUID())
      .hgetall(key)
      .exec();
    const fields = made?.[3]?.[1] as Record<string, string> | undefined;
    if (!fields?.any || !fields.content || !fields.access) throw new Error(`could not make the version of store ${storeId}`);
    return { any: fields.any, content: fields.content, access: fields.access };
  }

  private async write(storeId: string, write: Promise<unknown>): Promise<void> {
    await write.catch((err: unknown) => {
      this.logger.warn(
        { err, storeId },
        `could not replace a store's version; what is cached under it expires within ${MAX_AGE_MS / 1000} s`,
      );
    });
  }
}
