// Text messages go through a BullMQ queue on the existing Redis, so a slow or failing SMS gateway
// never slows or fails the request that caused the message: the request only enqueues, and the
// worker retries with exponential backoff.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { closeRedis } from '../db/redis';
import type { SmsProvider } from '../services/sms/sms-provider';

export const SMS_QUEUE = 'sms';

export interface SmsJob {
  to: string;
  text: string;
}

/** BullMQ's own key prefix, inside the deployment's (tests give each run its own). */
function bullPrefix(config: Config): string {
  return `${config.redisKeyPrefix}bull`;
}

export class SmsQueue {
  private readonly connection: Redis;
  /** Exposed for operations: job counts, dashboards, tests. */
  readonly queue: Queue<SmsJob>;

  constructor(config: Config) {
    // Enqueueing must fail fast when Redis is away rather than hold up the caller.
    this.connection = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 2_000 });
    this.connection.on('error', () => undefined);
    this.queue = new Queue<SmsJob>(SMS_QUEUE, {
      connection: this.connection,
      prefix: bullPrefix(config),
      defaultJobOptions: {
        attempts: config.sms.attempts,
        backoff: { type: 'exponential', delay: config.sms.backoffMs },
        removeOnComplete: 1_000,
        removeOnFail: 10_000,
      },
    });
    this.queue.on('error', () => undefined);
  }

  /**
   * Each message is its own job, retried on its own, so they are added one by one (concurrently)
   * rather than with addBulk: addBulk wraps them in a MULTI whose ioredis pipeline copies every
   * BullMQ script onto itself on every call, for an atomicity two independent messages do not
   * need.
   */
  async enqueue(...jobs: SmsJob[]): Promise<void> {
    await Promise.all(jobs.map((data) => this.queue.add('sms', data)));
  }

  async close(): Promise<void> {
    // Bounded: with Redis away, BullMQ's close could wait for a connection that never comes.
    await Promise.race([this.queue.close().catch(() => undefined), new Promise((r) => setTimeout(r, 2_000).unref())]);
    await closeRedis(this.connection);
  }
}

/** Sends queued messages through the provider; a thrown error makes BullMQ retry the job. */
export function startSmsWorker(config: Config, provider: SmsProvider, logger: Logger): { close(): Promise<void> } {
  // Workers block on Redis; BullMQ requires maxRetriesPerRequest null for that connection.
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', (err) => logger.warn({ err: err.message }, 'sms worker redis error'));
  const worker = new Worker<SmsJob>(
    SMS_QUEUE,
    async (job) => {
      await provider.send(job.data.to, job.data.text);
    },
    { connection, prefix: bullPrefix(config), concurrency: 8 },
  );
  worker.on('failed', (job, err) => {
    logger.warn({ jobId: job?.id, attempt: job?.attemptsMade, to: job?.data.to, err: err.message }, 'sms attempt failed');
  });
  worker.on('error', (err) => logger.warn({ err: err.message }, 'sms worker error'));
  return {
    async close() {
      await worker.close();
      await closeRedis(connection);
    },
  };
}
