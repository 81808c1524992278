import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { etagOf } from '../domain/etag';
import { RecentMap } from './recent-map';

/** What changes a store's catalog must tell, after its transaction commits. */
export interface CatalogChanges {
  changed(storeId: string): Promise<void>;
}

export interface CachedCatalog {
  /**
   * UTF-8 bytes, not a string: Express writes a Buffer as it is, but encodes a string again on
   * every answer (a megabyte per request for a 2,000-product store, and as much garbage).
   */
  body: Buffer;
  etag: string;
}

interface Entry {
  value: unknown;
  token: string;
}

/** A read under way, and the one that follows it when requests wait for a newer token. */
interface Flight {
  token: string;
  value: Promise<unknown>;
  next?: Promise<unknown>;
}

const ignore = (): void => undefined;

/** Two answers per store: its catalog and its public details. */
const MAX_ENTRIES = 2_000;
/** The bound on staleness if Redis failed exactly between a commit and its invalidation. */
export const MAX_AGE_MS = 30_000;

/**
 * What buyers read of a store (its rendered catalog, its public details), per instance, kept only
 * while the store's change token in Redis is the one they were read under. Every commit that
 * changes what they show (products, stock, the store's name or address) replaces the token with a
 * new random one, so all instances read again on their next request. Tokens are random rather
 * than counters so that a Redis restart (which empties it) can never make an old token match
 * again. Without Redis the cache is bypassed, never trusted.
 */
export class CatalogCache implements CatalogChanges {
  private readonly entries = new RecentMap<Entry>(MAX_ENTRIES, MAX_AGE_MS);
  /**
   * Reads under way, at most one per store and part. After a change every request for the store
   * misses at once (in a sale, each order of a product with limited stock is a change): requests
   * under the same token wait for the read already made, and requests under a newer one wait for
   * it to end and then share one read, instead of each rendering the catalog again.
   */
  private readonly flights = new Map<string, Flight>();

  constructor(private readonly redis: Redis, private readonly logger: Logger) {}

  async changed(storeId: string): Promise<void> {
    await this.redis.set(catalogTokenKey(storeId), randomUUID()).catch((err: unknown) => {
      this.logger.warn({ err, storeId }, 'could not invalidate a cached catalog; it expires within 30 s');
    });
  }

  /**
   * `part` of `storeId` (the catalog, the store itself), from cache when its token still matches,
   * else read by `read` and cached. The token is read before reading: a change committed
   * meanwhile replaces it, and the next request reads again.
   */
  async get<T>(storeId: string, part: 'catalog' | 'store', read: () => Promise<T>): Promise<T> {
    let token: string;
    try {
      token = await this.token(storeId);
    } catch {
      return read();
    }
    const key = `${part}:${storeId}`;
    const hit = this.entries.get(key);
    if (hit && hit.token === token) return hit.value as T;
    const flight = this.flights.get(key);
    if (!flight) return this.fly(key, token, read);
    if (flight.token === token) return flight.value as Promise<T>;
    // A read under an older token is under way. No second one beside it: the next read starts
    // when it ends, under the token current by then, which covers every change this request
    // could have seen, and serves everyone who arrived meanwhile.
    flight.next ??= flight.value.then(ignore, ignore).then(async () => {
      const latest = await this.token(storeId).catch(() => null);
      if (latest === null) {
        this.land(key, flight);
        return read();
      }
      return this.fly(key, latest, read);
    });
    return flight.next as Promise<T>;
  }

  /** Starts the read of `key` under `token`; what it returns is cached under that token. */
  private fly<T>(key: string, token: string, read: () => Promise<T>): Promise<T> {
    const flight: Flight = { token, value: read() };
    this.flights.set(key, flight);
    void flight.value
      .then((value) => this.entries.set(key, { value, token }), ignore)
      .finally(() => {
        // A read is waiting to follow: it takes the key over when it starts.
        if (!flight.next) this.land(key, flight);
      });
    return flight.value as Promise<T>;
  }

  private land(key: string, flight: Flight): void {
    if (this.flights.get(key) === flight) this.flights.delete(key);
  }

  /**
   * The store's current change token, made if it has none yet. Whatever is read from PostgreSQL
   * after this call may be cached under the token: a change committed since replaces it.
   */
  async token(storeId: string): Promise<string> {
    const token = await this.redis.get(catalogTokenKey(storeId));
    if (token !== null) return token;
    const made = randomUUID();
    // NX: a concurrent change's token wins over ours.
    if ((await this.redis.set(catalogTokenKey(storeId), made, 'NX')) !== null) return made;
    return (await this.redis.get(catalogTokenKey(storeId))) ?? made;
  }
}

export function renderedCatalog(json: string): CachedCatalog {
  const body = Buffer.from(json);
  return { body, etag: etagOf(body) };
}

/** The Redis key of a store's change token (also checked inside the cart-add script). */
export function catalogTokenKey(storeId: string): string {
  return `catalog:token:${storeId}`;
}
