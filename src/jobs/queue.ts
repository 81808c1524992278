// Background jobs go through BullMQ queues on the existing Redis, so a slow or failing receiver
// (an SMS gateway, a webhook endpoint) never slows or fails the request that caused the job: the
// request's side only enqueues, and a worker retries with exponential backoff.
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { closeRedis } from '../db/redis';

/** BullMQ's own key prefix, inside the deployment's (tests give each run its own). */
function bullPrefix(config: Config): string {
  return `${config.redisKeyPrefix}bull`;
}

export class JobQueue<T extends object> {
  private readonly connection: Redis;
  /** Exposed for operations: job counts, dashboards, tests. */
  readonly queue: Queue<T>;

  constructor(
    config: Config,
    readonly name: string,
    retries: { attempts: number; backoffMs: number },
  ) {
    // Enqueueing must fail fast when Redis is away rather than hold up the caller.
    this.connection = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 2_000 });
    this.connection.on('error', () => undefined);
    this.queue = new Queue<T>(name, {
      connection: this.connection,
      prefix: bullPrefix(config),
      defaultJobOptions: {
        attempts: retries.attempts,
        backoff: { type: 'exponential', delay: retries.backoffMs },
        removeOnComplete: 1_000,
        removeOnFail: 10_000,
      },
    });
    this.queue.on('error', () => undefined);
  }

  /**
   * Each job is added on its own (concurrently) rather than with addBulk: addBulk wraps them in a
   * MULTI whose ioredis pipeline copies every BullMQ script onto itself on every call, for an
   * atomicity independent jobs do not need. A job with an id already queued is not added twice.
   */
  async enqueue(...jobs: Array<{ data: T; id?: string }>): Promise<void> {
    await Promise.all(jobs.map(({ data, id }) => this.queue.add(this.name as never, data as never, id ? { jobId: id } : {})));
  }

  async close(): Promise<void> {
    // Bounded: with Redis away, BullMQ's close could wait for a connection that never comes.
    await Promise.race([this.queue.close().catch(() => undefined), new Promise((r) => setTimeout(r, 2_000).unref())]);
    await closeRedis(this.connection);
  }
}

/** Runs a queue's jobs; a thrown error makes BullMQ retry the job (until its attempts are spent). */
export function startWorker<T>(
  config: Config,
  name: string,
  handle: (job: Job<T>) => Promise<void>,
  options: { concurrency: number; logger: Logger; describe?: (job: Job<T>) => object },
): { close(): Promise<void> } {
  const { logger } = options;
  // Workers block on Redis; BullMQ requires maxRetriesPerRequest null for that connection.
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', (err) => logger.warn({ err: err.message }, `${name} worker redis error`));
  const worker = new Worker<T>(name, handle, { connection, prefix: bullPrefix(config), concurrency: options.concurrency });
  worker.on('failed', (job, err) => {
    logger.warn(
      { jobId: job?.id, attempt: job?.attemptsMade, ...(job && options.describe?.(job)), err: err.message },
      `${name} attempt failed`,
    );
  });
  worker.on('error', (err) => logger.warn({ err: err.message }, `${name} worker error`));
  return {
    async close() {
      await worker.close();
      await closeRedis(connection);
    },
  };
}
