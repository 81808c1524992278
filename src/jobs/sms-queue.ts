// Text messages: a queue of their own; a job carries the messages of one event, each retried
// until it is delivered.
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { SmsProvider } from '../services/sms/sms-provider';
import { JobQueue, startWorker } from './queue';

export const SMS_QUEUE = 'sms';

export interface SmsMessage {
  to: string;
  text: string;
}

/**
 * A job is the messages of one event (an order's customer, owner and staff), not one message:
 * each job costs its enqueue and the worker's fetch and completion in the process and a few
 * BullMQ scripts in Redis, whatever it carries. The messages still succeed or fail on their own:
 * they are sent together, and a retry sends only those that failed.
 */
export interface SmsJob {
  messages: SmsMessage[];
}

/** A job as queued by versions before SmsJob carried several messages: one message. */
type QueuedSms = SmsJob | SmsMessage;

const messagesOf = (job: Job<QueuedSms>): SmsMessage[] => ('messages' in job.data ? job.data.messages : [job.data]);

/** Sends a job's messages at once; when some fail, the job keeps only those and fails (BullMQ retries it). */
async function send(provider: SmsProvider, job: Job<QueuedSms>): Promise<void> {
  const messages = messagesOf(job);
  const results = await Promise.allSettled(messages.map((m) => provider.send(m.to, m.text)));
  const failed = messages.filter((_, i) => results[i]!.status === 'rejected');
  if (failed.length === 0) return;
  if (failed.length < messages.length) await job.updateData({ messages: failed });
  throw (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
}

export class SmsQueue extends JobQueue<SmsJob> {
  constructor(config: Config) {
    super(config, SMS_QUEUE, { attempts: config.sms.attempts, backoffMs: config.sms.backoffMs });
  }
}

/** Sends queued messages through the provider. */
export function startSmsWorker(config: Config, provider: SmsProvider, logger: Logger): { close(): Promise<void> } {
  return startWorker<QueuedSms>(config, SMS_QUEUE, (job) => send(provider, job), {
    concurrency: 8,
    logger,
    describe: (job) => ({ to: messagesOf(job).map((m) => m.to) }),
  });
}
