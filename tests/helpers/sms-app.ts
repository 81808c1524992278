// An app whose SMS go to a real HTTP gateway (tests/helpers/fake-sms-gateway.ts) through the real
// relay, the real queue and a real worker, on a database and a Redis prefix of its own.
import type { Background } from '../../src/jobs/background';
import { startBackground } from '../../src/jobs/background';
import { buildTestApp, type TestApp } from './app';
import { ownDatabase } from './database';

export interface BackgroundApp extends TestApp {
  background: Background;
}

/** The test app with the background work (relay, SMS and webhook workers) running, on a database of its own (or env's DATABASE_URL). */
export async function appWithBackground(label: string, env: Record<string, string> = {}): Promise<BackgroundApp> {
  const t = await buildTestApp({
    DATABASE_URL: env.DATABASE_URL ?? (await ownDatabase(label)),
    REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}${label}-${Math.random().toString(36).slice(2, 8)}:`,
    ...env,
  });
  const background = startBackground(t.container);
  return {
    ...t,
    background,
    async close() {
      await background.close();
      await t.close();
    },
  };
}

/** An app whose SMS go to `url` through the real queue and a real worker. */
export function appWithGateway(url: string, extra: Record<string, string> = {}): Promise<BackgroundApp> {
  return appWithBackground('notify', {
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
}

/** Waits (bounded) until every committed event is relayed and the SMS queue has nothing waiting, running or scheduled. */
export async function queueSettled(t: BackgroundApp): Promise<void> {
  await relayed(t);
  const queue = t.container.smsQueue.queue;
  for (let i = 0; i < 500; i++) {
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(c).every((n) => n === 0)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the SMS queue did not settle');
}

/** Waits (bounded) until the relay has handed on every committed event. */
export async function relayed(t: BackgroundApp): Promise<void> {
  for (let i = 0; i < 500; i++) {
    await t.background.relay.kick();
    if ((await t.background.relay.waiting()) === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the relay did not catch up');
}
