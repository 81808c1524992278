import type { Redis } from 'ioredis';
import type { Db } from '../db/prisma';

export interface Readiness {
  ready: boolean;
  checks: { postgres: 'up' | 'down'; redis: 'up' | 'down' };
}

/** Answers within `timeoutMs` whatever the backing services do: a probe must never hang. */
export class HealthService {
  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
    private readonly timeoutMs = 1_000,
  ) {}

  async readiness(): Promise<Readiness> {
    const [postgres, redis] = await Promise.all([this.probe(() => this.db.$queryRaw`SELECT 1`), this.probe(() => this.redis.ping())]);
    return { ready: postgres && redis, checks: { postgres: postgres ? 'up' : 'down', redis: redis ? 'up' : 'down' } };
  }

  private async probe(check: () => Promise<unknown>): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.timeoutMs);
    });
    try {
      return await Promise.race([
        check().then(
          () => true,
          () => false,
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
