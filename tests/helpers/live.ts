// The test app listening on a loopback port, for clients that need a real URL (a browser, a stream).
import { once } from 'node:events';
import type { Server } from 'node:http';
import { freePort } from '../../scripts/lib/server-process';
import { acceptEventSockets } from '../../src/http/event-sockets';
import { buildTestApp, type TestApp } from './app';

export interface LiveApp extends TestApp {
  url: string;
}

/** The test app listening on a loopback port, with PUBLIC_BASE_URL its own address (links and images point at it). */
export async function startLiveApp(env: Record<string, string> = {}, label?: string): Promise<LiveApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const shared: Record<string, string> = label ? { REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}${label}:` } : {};
  const t = await buildTestApp({ PUBLIC_BASE_URL: url, ...shared, ...env });
  const server: Server = t.app.listen(port, '127.0.0.1');
  acceptEventSockets(server, t.app, t.container);
  await once(server, 'listening');
  return {
    ...t,
    url,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}
