// The work done beside requests: the relay that hands committed events to their consumers, and
// the workers that send SMS and deliver webhooks. server.ts runs it in the API process
// (WORKER_IN_PROCESS, the default); `npm run worker` runs it on its own.
import type { Container } from '../container';
import { EventRelay } from '../services/events/relay';
import { startSmsWorker } from './sms-queue';
import { startWebhookWorker } from './webhook-queue';

export interface Background {
  relay: EventRelay;
  close(): Promise<void>;
}

export function startBackground(container: Container): Background {
  const { config, logger, db, redis, services } = container;
  const relay = new EventRelay(db, redis, logger, [services.notifications, services.webhooks], config.events.pollMs);
  const workers = [startSmsWorker(config, container.sms, logger), startWebhookWorker(config, services.webhooks, logger)];
  relay.start();
  let closing: Promise<void> | null = null;
  return {
    relay,
    close() {
      // The relay first: what it enqueues, the workers would otherwise miss until the next start.
      closing ??= relay.close().then(async () => {
        await Promise.all(workers.map((w) => w.close()));
      });
      return closing;
    },
  };
}
