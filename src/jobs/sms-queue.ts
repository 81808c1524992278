// Text messages: a queue of their own, each message a job retried on its own.
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { SmsProvider } from '../services/sms/sms-provider';
import { JobQueue, startWorker } from './queue';

export const SMS_QUEUE = 'sms';

export interface SmsJob {
  to: string;
  text: string;
}

export class SmsQueue extends JobQueue<SmsJob> {
  constructor(config: Config) {
    super(config, SMS_QUEUE, { attempts: config.sms.attempts, backoffMs: config.sms.backoffMs });
  }
}

/** Sends queued messages through the provider. */
export function startSmsWorker(config: Config, provider: SmsProvider, logger: Logger): { close(): Promise<void> } {
  return startWorker<SmsJob>(config, SMS_QUEUE, (job) => provider.send(job.data.to, job.data.text), {
    concurrency: 8,
    logger,
    describe: (job) => ({ to: job.data.to }),
  });
}
