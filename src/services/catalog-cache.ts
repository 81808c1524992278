import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { etagOf } from '../domain/etag';

/** What changes a store's catalog must tell, after its transaction commits. */
export interface CatalogChanges {
  changed(storeId: string): Promise<void>;
}

export interface CachedCatalog {
  body: string;
  etag: string;
}

interface Entry extends CachedCatalog {
  token: string;
  at: number;
}

const MAX_STORES = 1_000;
/** The bound on staleness if Redis failed exactly between a commit and its invalidation. */
const MAX_AGE_MS = 30_000;

/**
 * Rendered catalogs, per instance, kept only while their store's change token in Redis is the
 * one they were rendered under. Every commit that changes what a catalog shows (products, stock,
 * the store's name) replaces the token with a new random one, so all instances re-render on their
 * next request. Tokens are random rather than counters so that a Redis restart (which empties it)
 * can never make an old token match again. Without Redis the cache is bypassed, never trusted.
 */
export class CatalogCache implements CatalogChanges {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly redis: Redis, private readonly logger: Logger) {}

  async changed(storeId: string): Promise<void> {
    await this.redis.set(key(storeId), randomUUID()).catch((err: unknown) => {
      this.logger.warn({ err, storeId }, 'could not invalidate a cached catalog; it expires within 30 s');
    });
  }

  /**
   * The catalog of `storeId`, from cache when its token still matches, else rendered by `render`
   * and cached. The token is read before rendering: a change committed meanwhile replaces it, and
   * the next request renders again.
   */
  async get(storeId: string, render: () => Promise<string>): Promise<CachedCatalog> {
    let token: string | null;
    try {
      token = await this.redis.get(key(storeId));
      if (token === null) {
        token = randomUUID();
        // NX: a concurrent change's token wins over ours.
        if ((await this.redis.set(key(storeId), token, 'NX')) === null) token = await this.redis.get(key(storeId));
      }
    } catch {
      return this.fresh(await render());
    }
    const hit = this.entries.get(storeId);
    if (hit && hit.token === token && Date.now() - hit.at < MAX_AGE_MS) return hit;
    const entry: Entry = { ...this.fresh(await render()), token: token ?? '', at: Date.now() };
    if (token !== null) this.remember(storeId, entry);
    return entry;
  }

  private fresh(body: string): CachedCatalog {
    return { body, etag: etagOf(body) };
  }

  private remember(storeId: string, entry: Entry): void {
    this.entries.delete(storeId);
    this.entries.set(storeId, entry);
    // Oldest first in a Map: drop the least recently stored beyond the bound.
    while (this.entries.size > MAX_STORES) this.entries.delete(this.entries.keys().next().value!);
  }
}

function key(storeId: string): string {
  return `catalog:token:${storeId}`;
}
