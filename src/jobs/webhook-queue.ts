// Webhook deliveries: a queue of their own, each delivery a job retried with exponential backoff
// (WEBHOOK_ATTEMPTS tries over about a day). Many at once: a receiver that hangs holds one slot
// for at most WEBHOOK_TIMEOUT_MS, and never an order.
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { WebhookJob, WebhookService } from '../services/webhooks/webhook.service';
import { JobQueue, startWorker } from './queue';

export const WEBHOOK_QUEUE = 'webhooks';

export class WebhookQueue extends JobQueue<WebhookJob> {
  constructor(config: Config) {
    super(config, WEBHOOK_QUEUE, { attempts: config.webhooks.attempts, backoffMs: config.webhooks.backoffMs });
  }
}

export function startWebhookWorker(config: Config, webhooks: WebhookService, logger: Logger): { close(): Promise<void> } {
  return startWorker<WebhookJob>(config, WEBHOOK_QUEUE, (job) => webhooks.attempt(job.data.deliveryId, job.attemptsMade + 1), {
    concurrency: 64,
    logger,
    describe: (job) => ({ deliveryId: job.data.deliveryId }),
  });
}
