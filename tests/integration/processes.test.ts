// Real server processes: graceful shutdown on SIGTERM, and two instances behaving as one.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { Client } from 'pg';
import WebSocket from 'ws';
import { startServer, type ServerProcess } from '../../scripts/lib/server-process';
import { buildTestApp } from '../helpers/app';
import { ownDatabase } from '../helpers/database';
import { ADDRESS, newSeller, newStore, randomMobile } from '../helpers/factories';
import { FakeSmsGateway } from '../helpers/fake-sms-gateway';
import { WebhookReceiver } from '../helpers/webhook-receiver';

const baseEnv = () => ({
  DATABASE_URL: process.env.DATABASE_URL!,
  REDIS_URL: process.env.REDIS_URL!,
  REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}proc-${randomBytes(3).toString('hex')}:`,
  JWT_SECRET: process.env.JWT_SECRET!,
  LOG_LEVEL: 'silent',
  NODE_ENV: 'test',
  UPLOAD_DIR: process.env.UPLOAD_DIR!,
  // On the run's shared database a process's relay would take other files' events (and text them
  // through this file's gateways); tests that run it give the process a database of its own.
  WORKER_IN_PROCESS: 'false',
});

async function call(base: string, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/**
 * A real server, with its background work (relay and workers) running on a database of its own,
 * whose SMS gateway answers after `delayMs`: an OTP request stays in flight that long.
 */
async function serverWithSlowSms(delayMs: number): Promise<{ gateway: FakeSmsGateway; server: ServerProcess; databaseUrl: string }> {
  const gateway = new FakeSmsGateway();
  gateway.delayMs = delayMs;
  const databaseUrl = await ownDatabase('sigterm');
  const server = await startServer(
    {
      ...baseEnv(),
      DATABASE_URL: databaseUrl,
      WORKER_IN_PROCESS: 'true',
      OTP_MODE: 'sms',
      SMS_PROVIDER: 'http',
      SMS_HTTP_URL: await gateway.start(),
      SMS_HTTP_API_KEY: 'k',
      SMS_HTTP_TIMEOUT_MS: '5000',
    },
    { fromSource: true, quiet: true },
  );
  return { gateway, server, databaseUrl };
}

/** When the process exits, and with what code; to be called before it is signalled. */
function exitOf(server: ServerProcess): Promise<{ code: number | null; at: number }> {
  return new Promise((resolve) => server.child.once('exit', (code) => resolve({ code, at: Date.now() })));
}

/**
 * Event streams held open on `server` (SSE and WebSockets, public and seller), of a store made
 * beside it on the same database: they never end by themselves, so shutdown must end them.
 */
async function openStreams(server: ServerProcess, databaseUrl: string) {
  const t = await buildTestApp({ DATABASE_URL: databaseUrl });
  const seller = await newSeller(t.app);
  const store = await newStore(t.app, seller);
  await t.close();
  const sse = new Promise<'ended'>((resolve, reject) => {
    http
      .get(`${server.url}/api/v1/stores/${store.slug}/events`, { agent: false }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
        res.resume();
        res.on('end', () => resolve('ended'));
        res.on('error', () => resolve('ended'));
      })
      .on('error', reject);
  });
  const socket = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ closed: Promise<number> }>((resolve, reject) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`, { headers });
      const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
      ws.once('open', () => resolve({ closed }));
      ws.once('error', reject);
    });
  const sockets = await Promise.all([
    socket(`/api/v1/stores/${store.slug}/events`),
    socket(`/api/v1/seller/stores/${store.id}/events`, { authorization: `Bearer ${seller.token}` }),
  ]);
  return { ended: () => Promise.all([sse, ...sockets.map((s) => s.closed)]) };
}

describe('SIGTERM', () => {
  test('in-flight requests complete, new ones are refused, and the process exits 0 within 10 s', async () => {
    const { gateway, server, databaseUrl } = await serverWithSlowSms(1_500);
    try {
      const streams = await openStreams(server, databaseUrl);
      // An OTP request waits on the (slow) gateway: in flight when the signal comes.
      const inFlight = call(server.url, 'POST', '/seller/auth/otp', { mobile: randomMobile() });
      await gateway.until(() => gateway.received > 0);
      const exited = exitOf(server);
      const signalledAt = Date.now();
      server.child.kill('SIGTERM');

      // New connections are refused once the listener closes.
      let refused = false;
      for (let i = 0; i < 50 && !refused; i++) {
        refused = await fetch(`${server.url}/healthz`).then(
          () => false,
          () => true,
        );
        if (!refused) await new Promise((r) => setTimeout(r, 20));
      }
      expect(refused).toBe(true);

      expect((await inFlight).status).toBe(202);
      const { code, at } = await exited;
      expect(code).toBe(0);
      expect(at - signalledAt).toBeLessThan(10_000);
      // The open streams were ended by the server (WebSockets with 1001, going away).
      expect(await streams.ended()).toEqual(['ended', 1001, 1001]);
    } finally {
      await server.stop();
      await gateway.stop();
    }
  }, 30_000);
});

describe('SIGTERM with a busy keep-alive client', () => {
  test('answers after the signal close their connection, so a client that keeps it busy cannot hold shutdown open', async () => {
    const { gateway, server, databaseUrl } = await serverWithSlowSms(1_000);
    // One connection for everything, kept alive.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: unknown) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = http.request(`${server.url}${path}`, { method, agent, headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
        });
        req.on('error', reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
      });
    try {
      expect((await send('GET', '/healthz')).connection).toBe('keep-alive');
      const streams = await openStreams(server, databaseUrl);
      // Busy when the signal comes: an OTP request waits on the slow gateway...
      const slow = send('POST', '/api/v1/seller/auth/otp', { mobile: randomMobile() });
      await gateway.until(() => gateway.received > 0);
      const exited = exitOf(server);
      server.child.kill('SIGTERM');
      const answered = await slow;
      const answeredAt = Date.now();
      // ...and the client goes on using its connection for as long as the server lets it.
      let followUps = 0;
      for (; followUps < 10_000; followUps++) {
        try {
          await send('GET', '/healthz');
        } catch {
          break; // refused: the connection was closed and the listener is gone
        }
      }
      expect(answered).toEqual({ status: 202, connection: 'close' });
      expect(followUps).toBe(0);
      const { code, at } = await exited;
      expect(code).toBe(0);
      // Well inside the 10 s shutdown timeout, which a held-open connection would run into.
      expect(at - answeredAt).toBeLessThan(5_000);
      expect(await streams.ended()).toEqual(['ended', 1001, 1001]);
    } finally {
      agent.destroy();
      await server.stop();
      await gateway.stop();
    }
  }, 30_000);
});

describe('two server processes on one PostgreSQL and Redis', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    const env = { ...baseEnv(), OTP_RATE_LIMIT_PER_MOBILE: '3' };
    [a, b] = await Promise.all([startServer(env, { fromSource: true, quiet: true }), startServer(env, { fromSource: true, quiet: true })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  async function shop(stock: number) {
    const seller = (await call(a.url, 'POST', '/seller/auth', { mobile: randomMobile(), otp: '1234' })).body.token as string;
    const store = (await call(b.url, 'POST', '/seller/stores', { name: 'Twin Mart', address: 'x' }, seller)).body;
    const product = (
      await call(
        a.url,
        'POST',
        `/seller/stores/${store.id}/products`,
        { name: 'Twin', mrp: 10, salePrice: 10, category: 'X', stock },
        seller,
      )
    ).body;
    return { seller, store, product };
  }

  test('a cart made on one is filled and checked out on the other', async () => {
    const { store, product } = await shop(10);
    const cart = (await call(a.url, 'POST', '/carts', { storeLink: store.slug })).body;
    expect((await call(b.url, 'POST', `/carts/${cart.id}/items`, { productId: product.id, qty: 2, storeLink: store.slug })).status).toBe(
      200,
    );
    const customer = (await call(b.url, 'POST', '/customer/auth', { mobile: randomMobile(), otp: '1234' })).body.token;
    const order = await call(a.url, 'POST', '/orders', { cartId: cart.id, address: ADDRESS }, customer);
    expect(order.status).toBe(201);
    expect(order.body.itemCount).toBe(2);
    expect((await call(b.url, 'GET', `/carts/${cart.id}`)).status).toBe(404);
  });

  test('OTP limits count across both', async () => {
    const mobile = randomMobile();
    const statuses = [];
    for (const server of [a, b, a, b]) statuses.push((await call(server.url, 'POST', '/seller/auth/otp', { mobile })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });

  test('when 30 buyers race for 5 units through both at once, then exactly 5 orders are placed', async () => {
    const { seller, store, product } = await shop(5);
    const buyers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call(i % 2 ? a.url : b.url, 'POST', '/customer/auth', { mobile: randomMobile(), otp: '1234' })),
    );
    const carts = await Promise.all(
      buyers.map(async (_, i) => {
        const cart = (await call(i % 2 ? b.url : a.url, 'POST', '/carts', { storeLink: store.slug })).body;
        await call(i % 2 ? a.url : b.url, 'POST', `/carts/${cart.id}/items`, { productId: product.id, qty: 1, storeLink: store.slug });
        return cart.id as string;
      }),
    );
    const results = await Promise.all(
      buyers.map((buyer, i) => call(i % 2 ? a.url : b.url, 'POST', '/orders', { cartId: carts[i], address: ADDRESS }, buyer.body.token)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409)).toHaveLength(25);
    const after = await call(b.url, 'GET', `/seller/stores/${store.id}/products/${product.id}`, undefined, seller);
    expect(after.body.stock).toBe(0);
  }, 30_000);
});

describe('a process killed right after an order commits', () => {
  test('its events reach streams and webhooks after a restart', async () => {
    const receiver = await new WebhookReceiver().start();
    const env = { ...baseEnv(), DATABASE_URL: await ownDatabase('kill'), WEBHOOK_ALLOW_PRIVATE_URLS: 'true' };
    // The first process relays nothing (its worker is elsewhere, and not running): what it commits
    // is in the outbox only when it dies.
    const first = await startServer({ ...env, WORKER_IN_PROCESS: 'false' }, { fromSource: true, quiet: true });
    let second: ServerProcess | undefined;
    try {
      const seller = (await call(first.url, 'POST', '/seller/auth', { mobile: randomMobile(), otp: '1234' })).body.token as string;
      const store = (await call(first.url, 'POST', '/seller/stores', { name: 'Kill Mart', address: 'x' }, seller)).body;
      const url = receiver.url();
      expect(
        (await call(first.url, 'POST', `/seller/stores/${store.id}/webhooks`, { url, events: ['order.created'] }, seller)).status,
      ).toBe(201);
      const product = (
        await call(
          first.url,
          'POST',
          `/seller/stores/${store.id}/products`,
          { name: 'P', mrp: 10, salePrice: 10, category: 'X', stock: 3 },
          seller,
        )
      ).body;
      const cart = (await call(first.url, 'POST', '/carts', { storeLink: store.slug })).body;
      await call(first.url, 'POST', `/carts/${cart.id}/items`, { productId: product.id, qty: 1, storeLink: store.slug });
      const customer = (await call(first.url, 'POST', '/customer/auth', { mobile: randomMobile(), otp: '1234' })).body.token;
      const died = exitOf(first);
      const order = await call(first.url, 'POST', '/orders', { cartId: cart.id, address: ADDRESS }, customer);
      first.child.kill('SIGKILL');
      await died;
      expect(order.status).toBe(201);
      // Committed, and not relayed by anyone.
      const db = new Client({ connectionString: env.DATABASE_URL });
      await db.connect();
      const { rows } = await db.query<{ seq: string; relayed_at: Date | null }>(
        `SELECT seq, relayed_at FROM store_events WHERE store_id = $1 AND type = 'order.created'`,
        [store.id],
      );
      await db.end();
      expect(rows).toEqual([{ seq: expect.any(String), relayed_at: null }]);

      second = await startServer({ ...env, WORKER_IN_PROCESS: 'true' }, { fromSource: true, quiet: true });
      // The webhook gets the order...
      await receiver.until(() => receiver.at(url).length > 0);
      const delivered = JSON.parse(receiver.at(url)[0]!.body);
      expect(delivered).toMatchObject({ type: 'order.created', storeId: store.id, data: { id: order.body.id } });
      // ...and a seller stream resuming from before it replays it.
      const replayed = await new Promise<string>((resolve, reject) => {
        const req = http.get(
          `${second!.url}/api/v1/seller/stores/${store.id}/events`,
          { agent: false, headers: { authorization: `Bearer ${seller}`, 'last-event-id': String(Number(rows[0]!.seq) - 1) } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              text += c;
              if (text.includes('event: order.created')) {
                req.destroy();
                resolve(text);
              }
            });
          },
        );
        req.on('error', reject);
      });
      expect(replayed).toContain(`id: ${rows[0]!.seq}\nevent: order.created\ndata: {"id":"${order.body.id}"`);
    } finally {
      await Promise.all([first.stop(), second?.stop()]);
      await receiver.stop();
    }
  }, 60_000);
});

describe('starting in production', () => {
  /** Runs the server from source with `env` and resolves with its exit code and what it wrote to stderr. */
  function run(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../src/server.ts')], {
        env: { ...process.env, ...baseEnv(), ...env, PORT: '0' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.once('exit', (code) => resolve({ code, stderr }));
    });
  }

  test('with OTP_MODE=bypass and no OTP_BYPASS_ALLOWED, the server refuses to start and says why', async () => {
    const { code, stderr } = await run({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), OTP_MODE: 'bypass' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/OTP_MODE: bypass lets anyone sign in as anyone/);
  });

  test('with OTP_BYPASS_ALLOWED=true it starts, and warns loudly', async () => {
    const server = await startServer(
      {
        ...baseEnv(),
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(32),
        OTP_MODE: 'bypass',
        OTP_BYPASS_ALLOWED: 'true',
        LOG_LEVEL: 'warn',
      },
      { fromSource: true, captureOutput: true },
    );
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect(server.output()).toMatch(/ANY OTP SIGNS IN AS ANY SELLER OR CUSTOMER/);
    } finally {
      await server.stop();
    }
  });
});
