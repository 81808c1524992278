import type { Redis } from 'ioredis';

export const ARCHIVED_KEY = 'products:archived';

/**
 * Ids of archived products, in Redis, so carts can drop their lines inside the cart scripts
 * without asking PostgreSQL on every cart read. Checkout re-reads PostgreSQL anyway, so a line
 * that slipped through (Redis down at archive time) can still never be ordered.
 */
export class ArchivedProducts {
  constructor(private readonly redis: Redis) {}

  async add(productId: string): Promise<void> {
    await this.redis.sadd(ARCHIVED_KEY, productId);
  }
}
