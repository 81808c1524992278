import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { etagOf } from '../domain/etag';
import { RecentMap } from './recent-map';

/** What changes a store's catalog must tell, after its transaction commits. */
export interface CatalogChanges {
  /** Anything buyers see changed: products, categories, prices, the store's name or address. */
  changed(storeId: string): Promise<void>;
  /** Only the stock (and so `updatedAt`) of products already shown changed: an order, a cancel. */
  stockChanged(storeId: string): Promise<void>;
}

export interface CachedCatalog {
  /**
   * UTF-8 bytes, not a string: Express writes a Buffer as it is, but encodes a string again on
   * every answer (a megabyte per request for a 2,000-product store, and as much garbage).
   */
  body: Buffer;
  etag: string;
}

/** A store's two tokens: `token` changes with every change, `content` with all but stock's. */
interface StoreTokens {
  token: string;
  content: string;
}

interface Entry {
  value: unknown;
  token: string;
  content: string;
  /** When the oldest read this value builds on was made: a read given no earlier value starts anew. */
  since: number;
}

/** A read under way, and the one that follows it when requests wait for a newer token. */
interface Flight {
  token: string;
  value: Promise<unknown>;
  next?: Promise<unknown>;
}

/**
 * What a part is read from: `previous` is the value cached for the part when only stock changed
 * since it was read (the same content token), so the read may build on it; else undefined.
 */
export type PartReader<T> = (previous: T | undefined) => Promise<T>;

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
 *
 * A second token, `content`, is replaced by every change except stock's. In a sale each order of
 * a product with limited stock is a change, and re-rendering the whole catalog for each one bound
 * the catalog to the render rate; a part read under the same content token may instead build on
 * the value before (the catalog lays the current stock over its last render). The store's public
 * details show no stock, so they are kept under the content token alone.
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
    await this.replace(storeId, this.redis.mset(catalogTokenKey(storeId), randomUUID(), contentTokenKey(storeId), randomUUID()));
  }

  async stockChanged(storeId: string): Promise<void> {
    await this.replace(storeId, this.redis.set(catalogTokenKey(storeId), randomUUID()));
  }

  private async replace(storeId: string, write: Promise<unknown>): Promise<void> {
    await write.catch((err: unknown) => {
      this.logger.warn({ err, storeId }, 'could not invalidate a cached catalog; it expires within 30 s');
    });
  }

  /**
   * `part` of `storeId` (the catalog, the store itself), from cache when its token still matches,
   * else read by `read` and cached. The tokens are read before reading: a change committed
   * meanwhile replaces them, and the next request reads again.
   */
  async get<T>(storeId: string, part: 'catalog' | 'store', read: PartReader<T>): Promise<T> {
    let tokens: StoreTokens;
    try {
      tokens = await this.tokens(storeId);
    } catch {
      return read(undefined);
    }
    const key = `${part}:${storeId}`;
    const token = validity(part, tokens);
    const hit = this.entries.get(key);
    if (hit && hit.token === token) return hit.value as T;
    const flight = this.flights.get(key);
    if (!flight) return this.fly(key, part, tokens, read);
    if (flight.token === token) return flight.value as Promise<T>;
    // A read under an older token is under way. No second one beside it: the next read starts
    // when it ends, under the tokens current by then, which cover every change this request
    // could have seen, and serves everyone who arrived meanwhile.
    flight.next ??= flight.value.then(ignore, ignore).then(async () => {
      const latest = await this.tokens(storeId).catch(() => null);
      if (latest === null) {
        this.land(key, flight);
        return read(undefined);
      }
      return this.fly(key, part, latest, read);
    });
    return flight.next as Promise<T>;
  }

  /** Starts the read of `key` under `tokens`; what it returns is cached under them. */
  private fly<T>(key: string, part: 'catalog' | 'store', tokens: StoreTokens, read: PartReader<T>): Promise<T> {
    const token = validity(part, tokens);
    // Only stock changed since the cached value was read: the read may build on it. Not past
    // MAX_AGE_MS since a read that did not, which keeps the bound on staleness should a content
    // change's token write have failed while stock changes kept coming.
    const hit = this.entries.get(key);
    const previous = hit && hit.content === tokens.content && Date.now() - hit.since < MAX_AGE_MS ? hit : undefined;
    const flight: Flight = { token, value: read(previous?.value as T | undefined) };
    this.flights.set(key, flight);
    const since = previous?.since ?? Date.now();
    void flight.value
      .then((value) => this.entries.set(key, { value, token, content: tokens.content, since }), ignore)
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
    return (await this.tokens(storeId)).token;
  }

  /** Both of the store's tokens, in one round trip once they exist; made if missing. */
  private async tokens(storeId: string): Promise<StoreTokens> {
    const tokenKey = catalogTokenKey(storeId);
    const contentKey = contentTokenKey(storeId);
    const [token, content] = await this.redis.mget(tokenKey, contentKey);
    if (token != null && content != null) return { token, content };
    // NX: a concurrent change's token wins over ours. A lost change token (Redis emptied, or the
    // key evicted) may have taken a change with it, so the content token that outlived it is not
    // trusted either: whoever makes the change token anew replaces it.
    const made = { token: randomUUID(), content: randomUUID() };
    if (token == null) {
      if ((await this.redis.set(tokenKey, made.token, 'NX')) !== null) await this.redis.set(contentKey, made.content);
    } else {
      await this.redis.set(contentKey, made.content, 'NX');
    }
    const [madeToken, madeContent] = await this.redis.mget(tokenKey, contentKey);
    // Gone already (Redis emptied meanwhile): ours can never match what is cached, which is safe.
    return { token: madeToken ?? made.token, content: madeContent ?? made.content };
  }
}

/** The token a part is kept under: the store's details show no stock. */
function validity(part: 'catalog' | 'store', tokens: StoreTokens): string {
  return part === 'store' ? tokens.content : tokens.token;
}

export function renderedCatalog(json: string): CachedCatalog {
  const body = Buffer.from(json);
  return { body, etag: etagOf(body) };
}

/** The Redis key of a store's change token (also checked inside the cart-add script). */
export function catalogTokenKey(storeId: string): string {
  return `catalog:token:${storeId}`;
}

/** The Redis key of a store's content token: replaced by every change but stock's. */
function contentTokenKey(storeId: string): string {
  return `catalog:content:${storeId}`;
}
