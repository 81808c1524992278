// An app whose SMS go to a real HTTP gateway (tests/helpers/fake-sms-gateway.ts) through the real
// queue and a real worker.
import pino from 'pino';
import { startSmsWorker } from '../../src/jobs/sms-queue';
import { buildTestApp, type TestApp } from './app';

/** An app whose SMS go to `url` through the real queue and a real worker, on a Redis prefix of its own. */
export async function appWithGateway(url: string, extra: Record<string, string> = {}) {
  const t = await buildTestApp({
    REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}notify-${Math.random().toString(36).slice(2, 8)}:`,
    SMS_PROVIDER: 'http',
    SMS_HTTP_URL: url,
    SMS_HTTP_API_KEY: 'test-api-key',
    SMS_HTTP_USERNAME: 'dukaan',
    SMS_HTTP_SENDER: 'DUKAAN',
    SMS_HTTP_TIMEOUT_MS: '1000',
    SMS_BACKOFF_MS: '50',
    SMS_ATTEMPTS: '5',
    ...extra,
  });
  const worker = startSmsWorker(t.container.config, t.container.sms, pino({ level: 'silent' }));
  return {
    ...t,
    async close() {
      await worker.close();
      await t.close();
    },
  };
}

/** Waits (bounded) until the queue has nothing waiting, running or scheduled. */
export async function queueSettled(t: TestApp): Promise<void> {
  const queue = t.container.smsQueue.queue;
  for (let i = 0; i < 500; i++) {
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(c).every((n) => n === 0)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the SMS queue did not settle');
}
