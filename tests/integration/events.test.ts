// Event streams (contract: "Events"): the outbox, relayed to streams on every instance, with
// replay after Last-Event-ID. Real servers on loopback ports, real sockets.
import http from 'node:http';
import request from 'supertest';
import WebSocket from 'ws';
import { sseReader } from '../../scripts/lib/sse';
import { addStaff, auth, filledCart, newCustomer, newProduct, newSeller, newStore, placeOrder, randomMobile } from '../helpers/factories';
import { startLiveApp, type LiveApp } from '../helpers/live';

jest.setTimeout(30_000);

interface Received {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/** An SSE client: what arrived, and a wait for the next event that matches. */
function openStream(url: string, headers: Record<string, string> = {}) {
  const events: Received[] = [];
  const waiters: Array<() => void> = [];
  let status = 0;
  let responseHeaders: http.IncomingHttpHeaders = {};
  let ended = false;
  let close = (): void => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      status = res.statusCode ?? 0;
      responseHeaders = res.headers;
      res.setEncoding('utf8');
      res.on(
        'data',
        sseReader((e) => {
          events.push({ id: e.id, type: e.type, data: JSON.parse(e.data || '{}') });
          waiters.splice(0).forEach((w) => w());
        }),
      );
      res.on('end', () => {
        ended = true;
        waiters.splice(0).forEach((w) => w());
      });
      resolve();
    });
    req.on('error', reject);
    close = () => req.destroy();
  });
  return {
    events,
    ready,
    status: () => status,
    headers: () => responseHeaders,
    ended: () => ended,
    close: () => close(),
    /** Resolves with the first event (from `from` on) that matches, or rejects after `ms`. */
    async next(match: (e: Received) => boolean, ms = 3_000, from = 0): Promise<Received> {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = events.slice(from).find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching event in ${ms} ms; got ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    /** Resolves when the server ends the stream, or rejects after `ms`. */
    async endedWithin(ms: number): Promise<void> {
      const deadline = Date.now() + ms;
      while (!ended) {
        if (Date.now() > deadline) throw new Error(`the stream was still open after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** A WebSocket client of a stream: the same shape of events as openStream's, and how it ended. */
function openSocket(url: string, headers: Record<string, string> = {}) {
  const events: Received[] = [];
  const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers });
  let refusal: { status: number; body: string; headers: http.IncomingHttpHeaders } | null = null;
  let closedWith: number | null = null;
  /** When each message arrived (ms, performance.now), by its place in `events`. */
  const arrivals: number[] = [];
  ws.on('message', (raw) => {
    events.push(JSON.parse(String(raw)) as Received);
    arrivals.push(performance.now());
  });
  ws.on('close', (code) => (closedWith = code));
  const ready = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        refusal = { status: res.statusCode ?? 0, body, headers: res.headers };
        resolve();
      });
    });
    ws.once('error', reject);
  });
  return {
    events,
    arrivals,
    ready,
    refusal: () => refusal,
    closedWith: () => closedWith,
    close: () => ws.close(),
    async next(match: (e: Received) => boolean, ms = 3_000): Promise<Received> {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching message in ${ms} ms; got ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async closedWithin(ms: number): Promise<number> {
      const deadline = Date.now() + ms;
      while (closedWith === null) {
        if (Date.now() > deadline) throw new Error(`the socket was still open after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return closedWith;
    },
  };
}

describe('event streams', () => {
  let a: LiveApp;
  let b: LiveApp;
  beforeAll(async () => {
    // Two instances on one database and one Redis prefix, as two server processes would be.
    [a, b] = await Promise.all([startLiveApp({}, 'events'), startLiveApp({}, 'events')]);
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  async function shop() {
    const seller = await newSeller(a.app);
    const store = await newStore(a.app, seller);
    const product = await newProduct(a.app, seller, store, { stock: 10 });
    return { seller, store, product };
  }

  test('an order placed through instance B arrives on a seller stream held on instance A within a second, with its stock', async () => {
    const { seller, store, product } = await shop();
    const stream = openStream(`${a.url}/api/v1/seller/stores/${store.id}/events`, { authorization: `Bearer ${seller.token}` });
    await stream.ready;
    expect(stream.status()).toBe(200);
    const customer = await newCustomer(b.app);
    const started = Date.now();
    const order = (await placeOrder(b.app, customer, await filledCart(b.app, store, [[product.id, 2]])).expect(201)).body;
    const created = await stream.next((e) => e.type === 'order.created', 1_000);
    expect(Date.now() - started).toBeLessThan(1_000 + 500);
    expect(created.data).toMatchObject({ id: order.id, status: 'PENDING', itemCount: 2 });
    expect((created.data.history as Array<{ by: object }>)[0]!.by).toEqual({ role: 'customer', accountId: null, mobile: null });
    const stock = await stream.next((e) => e.type === 'product.stock_changed');
    expect(stock.data).toEqual({ productId: product.id, stock: 8, sold: 2 });
    expect(Number(stock.id)).toBeGreaterThan(Number(created.id));
    stream.close();
  });

  test('the public stream carries stock (without sales) and catalog changes, and no orders', async () => {
    const { seller, store, product } = await shop();
    const stream = openStream(`${b.url}/api/v1/stores/${store.slug}/events`);
    await stream.ready;
    const customer = await newCustomer(a.app);
    await placeOrder(a.app, customer, await filledCart(a.app, store, [[product.id, 1]])).expect(201);
    expect((await stream.next((e) => e.type === 'product.stock_changed')).data).toEqual({ productId: product.id, stock: 9 });
    await request(a.app)
      .patch(`/api/v1/seller/stores/${store.id}/products/${product.id}`)
      .set(...auth(seller.token))
      .send({ name: 'Renamed' })
      .expect(200);
    expect((await stream.next((e) => e.type === 'catalog.changed')).data).toEqual({});
    expect(stream.events.filter((e) => e.type.startsWith('order.'))).toEqual([]);
    stream.close();
  });

  test('a status change carries from, to, when and who', async () => {
    const { seller, store, product } = await shop();
    const customer = await newCustomer(a.app);
    const order = (await placeOrder(a.app, customer, await filledCart(a.app, store, [[product.id, 1]])).expect(201)).body;
    const stream = openStream(`${a.url}/api/v1/seller/stores/${store.id}/events`, { authorization: `Bearer ${seller.token}` });
    await stream.ready;
    await request(b.app)
      .patch(`/api/v1/seller/stores/${store.id}/orders/${order.id}`)
      .set(...auth(seller.token))
      .send({ status: 'ACCEPTED' })
      .expect(200);
    const changed = await stream.next((e) => e.type === 'order.status_changed');
    expect(changed.data).toEqual({
      orderId: order.id,
      from: 'PENDING',
      to: 'ACCEPTED',
      at: expect.any(String),
      by: { role: 'owner', accountId: seller.id, mobile: seller.mobile },
    });
    stream.close();
  });

  test('reconnecting with Last-Event-ID replays exactly what was missed, in order; an id older than the history gives resync', async () => {
    const { seller, store, product } = await shop();
    const url = `${a.url}/api/v1/seller/stores/${store.id}/events`;
    const first = openStream(url, { authorization: `Bearer ${seller.token}` });
    await first.ready;
    const customer = await newCustomer(a.app);
    await placeOrder(a.app, customer, await filledCart(a.app, store, [[product.id, 1]])).expect(201);
    const seen = await first.next((e) => e.type === 'product.stock_changed');
    first.close();
    // Missed while away: two orders.
    for (let i = 0; i < 2; i++) await placeOrder(a.app, customer, await filledCart(a.app, store, [[product.id, 1]])).expect(201);
    const again = openStream(url, { authorization: `Bearer ${seller.token}`, 'last-event-id': seen.id });
    await again.ready;
    await again.next((e) => e.type === 'product.stock_changed' && e.data.stock === 7);
    expect(again.events.map((e) => e.type)).toEqual(['order.created', 'product.stock_changed', 'order.created', 'product.stock_changed']);
    const ids = again.events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(ids[0]).toBe(Number(seen.id) + 1);
    again.close();
    // The same through ?lastEventId= (for clients that cannot send the header).
    const byQuery = openStream(`${url}?lastEventId=${seen.id}`, { authorization: `Bearer ${seller.token}` });
    await byQuery.ready;
    await byQuery.next((e) => e.type === 'product.stock_changed' && e.data.stock === 7);
    expect(byQuery.events).toHaveLength(4);
    byQuery.close();

    // History gone (older than kept): resync, then refetch over REST.
    await a.container.db.storeEvent.deleteMany({ where: { storeId: store.id, seq: { lte: BigInt(seen.id) } } });
    const stale = openStream(url, { authorization: `Bearer ${seller.token}`, 'last-event-id': String(Number(seen.id) - 1) });
    await stale.ready;
    expect((await stale.next(() => true)).type).toBe('resync');
    stale.close();
  });

  test('order.created tells of the order as it was placed, even when read after later changes (a replay)', async () => {
    const { seller, store, product } = await shop();
    const before = await a.container.db.storeEvent.findFirst({ where: { storeId: store.id }, orderBy: { seq: 'desc' } });
    const order = (await placeOrder(a.app, await newCustomer(a.app), await filledCart(a.app, store, [[product.id, 1]])).expect(201)).body;
    await request(a.app)
      .patch(`/api/v1/seller/stores/${store.id}/orders/${order.id}`)
      .set(...auth(seller.token))
      .send({ status: 'ACCEPTED' })
      .expect(200);
    const stream = openStream(`${a.url}/api/v1/seller/stores/${store.id}/events`, {
      authorization: `Bearer ${seller.token}`,
      'last-event-id': String(before?.seq ?? 0),
    });
    await stream.ready;
    await stream.next((e) => e.type === 'order.status_changed');
    const created = stream.events.find((e) => e.type === 'order.created')!;
    expect(created.data).toMatchObject({ id: order.id, status: 'PENDING', history: [expect.objectContaining({ status: 'PENDING' })] });
    expect(created.data.history).toHaveLength(1);
    stream.close();
  });

  test('a change that rolled back (out of stock) emits nothing', async () => {
    const { store, product } = await shop();
    const stream = openStream(`${a.url}/api/v1/stores/${store.slug}/events`);
    await stream.ready;
    const customer = await newCustomer(a.app);
    const cart = await filledCart(a.app, store, [[product.id, 10]]);
    await placeOrder(a.app, await newCustomer(a.app), await filledCart(a.app, store, [[product.id, 1]])).expect(201);
    await stream.next((e) => e.type === 'product.stock_changed');
    expect((await placeOrder(a.app, customer, cart)).status).toBe(409);
    const count = await a.container.db.storeEvent.count({ where: { storeId: store.id, type: 'order.created' } });
    expect(count).toBe(1);
    stream.close();
  });

  test('a staff member losing "orders", and a logged-out seller, have their streams closed within 5 seconds', async () => {
    const { seller, store } = await shop();
    const mobile = randomMobile();
    const member = await addStaff(a.app, seller, store, mobile, ['orders', 'products']);
    const staff = await newSeller(a.app, mobile);
    const staffStream = openStream(`${a.url}/api/v1/seller/stores/${store.id}/events`, { authorization: `Bearer ${staff.token}` });
    const ownerStream = openStream(`${b.url}/api/v1/seller/stores/${store.id}/events`, { authorization: `Bearer ${seller.token}` });
    await Promise.all([staffStream.ready, ownerStream.ready]);
    expect([staffStream.status(), ownerStream.status()]).toEqual([200, 200]);
    await request(b.app)
      .patch(`/api/v1/seller/stores/${store.id}/staff/${member.id}`)
      .set(...auth(seller.token))
      .send({ permissions: ['products'] })
      .expect(200);
    await staffStream.endedWithin(5_000);
    await request(a.app)
      .post('/api/v1/auth/logout')
      .set(...auth(seller.token))
      .expect(204);
    await ownerStream.endedWithin(5_000);
  });

  test('a stream needs its access like any read: staff without "orders" 403, strangers 404, no token 401; a closed or unknown store 404', async () => {
    const { store } = await shop();
    const stranger = await newSeller(a.app);
    const url = `${a.url}/api/v1/seller/stores/${store.id}/events`;
    const s = openStream(url, { authorization: `Bearer ${stranger.token}` });
    await s.ready;
    expect(s.status()).toBe(404);
    const anonymous = openStream(url);
    await anonymous.ready;
    expect(anonymous.status()).toBe(401);
    const unknown = openStream(`${a.url}/api/v1/stores/no-such-store-x/events`);
    await unknown.ready;
    expect(unknown.status()).toBe(404);
  });
});

describe('event streams as WebSockets', () => {
  let a: LiveApp;
  let b: LiveApp;
  beforeAll(async () => {
    [a, b] = await Promise.all([startLiveApp({}, 'sockets'), startLiveApp({}, 'sockets')]);
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  async function shop(stock = 10) {
    const seller = await newSeller(a.app);
    const store = await newStore(a.app, seller);
    const product = await newProduct(a.app, seller, store, { stock });
    return { seller, store, product };
  }

  test('a WebSocket client and an SSE client see the same events, with the same ids', async () => {
    const { seller, store, product } = await shop();
    const path = `/api/v1/seller/stores/${store.id}/events`;
    const socket = openSocket(`${a.url}${path}`, { authorization: `Bearer ${seller.token}` });
    const stream = openStream(`${b.url}${path}`, { authorization: `Bearer ${seller.token}` });
    await Promise.all([socket.ready, stream.ready]);
    expect(socket.refusal()).toBeNull();
    const customer = await newCustomer(a.app);
    const order = (await placeOrder(a.app, customer, await filledCart(a.app, store, [[product.id, 3]])).expect(201)).body;
    await request(b.app)
      .patch(`/api/v1/seller/stores/${store.id}/orders/${order.id}`)
      .set(...auth(seller.token))
      .send({ status: 'REJECTED' })
      .expect(200);
    const last = (e: Received) => e.type === 'product.stock_changed' && e.data.stock === 10;
    await Promise.all([socket.next(last), stream.next(last)]);
    expect(socket.events.map((e) => e.type)).toEqual([
      'order.created',
      'product.stock_changed',
      'order.status_changed',
      'product.stock_changed',
    ]);
    expect(socket.events).toEqual(stream.events);
    socket.close();
    stream.close();
  });

  test('?lastEventId= replays over a WebSocket too; the public socket carries stock without sales', async () => {
    const { store, product } = await shop();
    const customer = await newCustomer(a.app);
    const url = `${a.url}/api/v1/stores/${store.slug}/events`;
    const first = openSocket(url);
    await first.ready;
    await placeOrder(a.app, customer, await filledCart(a.app, store, [[product.id, 1]])).expect(201);
    const seen = await first.next((e) => e.type === 'product.stock_changed');
    expect(seen.data).toEqual({ productId: product.id, stock: 9 });
    first.close();
    await request(a.app)
      .patch(`/api/v1/seller/stores/${store.id}/products/${product.id}`)
      .set(...auth((await newSeller(a.app)).token))
      .send({ name: 'x' }); // another seller's: 404, nothing emitted
    await placeOrder(a.app, customer, await filledCart(a.app, store, [[product.id, 1]])).expect(201);
    const again = openSocket(`${url}?lastEventId=${seen.id}`);
    await again.ready;
    expect((await again.next((e) => e.type === 'product.stock_changed')).data).toEqual({ productId: product.id, stock: 8 });
    expect(again.events[0]!.id).toBe(String(Number(seen.id) + 2));
    again.close();
    // The Last-Event-ID header works on the upgrade too, for clients that can send one.
    const byHeader = openSocket(url, { 'last-event-id': seen.id });
    await byHeader.ready;
    expect((await byHeader.next((e) => e.type === 'product.stock_changed')).id).toBe(again.events[0]!.id);
    byHeader.close();
  });

  test('the upgrade is refused as the HTTP stream would be: 401 without a token, 404 for a stranger, problem+json', async () => {
    const { store } = await shop();
    const path = `${a.url}/api/v1/seller/stores/${store.id}/events`;
    const anonymous = openSocket(path);
    await anonymous.ready;
    expect(anonymous.refusal()).toMatchObject({ status: 401, headers: { 'content-type': 'application/problem+json' } });
    expect(JSON.parse(anonymous.refusal()!.body)).toMatchObject({ status: 401 });
    const stranger = openSocket(path, { authorization: `Bearer ${(await newSeller(a.app)).token}` });
    await stranger.ready;
    expect(stranger.refusal()?.status).toBe(404);
    const unknown = openSocket(`${a.url}/api/v1/stores/no-such-store-y/events`);
    await unknown.ready;
    expect(unknown.refusal()?.status).toBe(404);
  });

  test('a logged-out seller has the socket closed within 5 seconds', async () => {
    const { seller, store } = await shop();
    const socket = openSocket(`${a.url}/api/v1/seller/stores/${store.id}/events`, { authorization: `Bearer ${seller.token}` });
    await socket.ready;
    await request(b.app)
      .post('/api/v1/auth/logout')
      .set(...auth(seller.token))
      .expect(204);
    expect(await socket.closedWithin(5_000)).toBe(1008);
  });

  test('the public stream sends at most one stock event per product per second, the last value winning; the seller stream all', async () => {
    const { seller, store, product } = await shop(100);
    const anyone = openSocket(`${a.url}/api/v1/stores/${store.slug}/events`);
    const sellerSide = openSocket(`${a.url}/api/v1/seller/stores/${store.id}/events`, { authorization: `Bearer ${seller.token}` });
    await Promise.all([anyone.ready, sellerSide.ready]);
    const customer = await newCustomer(a.app);
    const carts = await Promise.all(Array.from({ length: 12 }, () => filledCart(b.app, store, [[product.id, 1]])));
    await Promise.all(carts.map((cart) => placeOrder(b.app, customer, cart).expect(201)));
    await sellerSide.next((e) => e.type === 'product.stock_changed' && e.data.stock === 88);
    expect(sellerSide.events.filter((e) => e.type === 'product.stock_changed')).toHaveLength(12);
    // The last value reaches the public stream, within the pace.
    await anyone.next((e) => e.data.stock === 88, 3_000);
    const paced = anyone.events.flatMap((e, i) => (e.type === 'product.stock_changed' ? [{ ...e, at: anyone.arrivals[i]! }] : []));
    expect(paced.length).toBeLessThan(12);
    // One per second: consecutive ones came at least a second apart (less a little for the network).
    for (let i = 1; i < paced.length; i++) expect(paced[i]!.at - paced[i - 1]!.at).toBeGreaterThan(900);
    const ids = paced.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    anyone.close();
    sellerSide.close();
  });
});

describe('a seller stream and its access token', () => {
  let t: LiveApp;
  beforeAll(async () => {
    t = await startLiveApp({ ACCESS_TOKEN_TTL: '2s' });
  });
  afterAll(() => t.close());

  test('ends when the token it was opened with expires; a fresh token resumes it with nothing lost', async () => {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller);
    const product = await newProduct(t.app, seller, store, { stock: 5 });
    const url = `${t.url}/api/v1/seller/stores/${store.id}/events`;
    const stream = openStream(url, { authorization: `Bearer ${seller.token}` });
    await stream.ready;
    expect(stream.status()).toBe(200);
    await stream.endedWithin(5_000);
    // Meanwhile an order; the app comes back with a fresh token and the last id it saw.
    await placeOrder(t.app, await newCustomer(t.app), await filledCart(t.app, store, [[product.id, 1]])).expect(201);
    const fresh = (await request(t.app).post('/api/v1/seller/auth').send({ mobile: seller.mobile, otp: '1234' }).expect(200)).body
      .token as string;
    const resumed = openStream(url, { authorization: `Bearer ${fresh}`, 'last-event-id': '0' });
    await resumed.ready;
    expect((await resumed.next((e) => e.type === 'order.created')).type).toBe('order.created');
    resumed.close();
  });
});

describe('event streams per client address', () => {
  let t: LiveApp;
  beforeAll(async () => {
    t = await startLiveApp({ STREAMS_PER_IP: '2' });
  });
  afterAll(() => t.close());

  test('beyond STREAMS_PER_IP open streams from one address: 429 with Retry-After; a closed one frees its place', async () => {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller);
    const url = `${t.url}/api/v1/stores/${store.slug}/events`;
    const [one, two] = [openStream(url), openStream(url)];
    await Promise.all([one.ready, two.ready]);
    await one.next(() => true, 500).catch(() => undefined);
    const third = openStream(url);
    await third.ready;
    expect(third.status()).toBe(429);
    expect(third.headers()['retry-after']).toBe('30');
    one.close();
    // The server hears the close asynchronously: the place frees within moments.
    for (let i = 0; i < 50; i++) {
      const next = openStream(url);
      await next.ready;
      next.close();
      if (next.status() === 200) {
        two.close();
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the closed stream did not free its place');
  });

  test('WebSockets and SSE share the cap', async () => {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller);
    const url = `${t.url}/api/v1/stores/${store.slug}/events`;
    const [one, two] = [openSocket(url), openStream(url)];
    await Promise.all([one.ready, two.ready]);
    const third = openSocket(url);
    await third.ready;
    expect(third.refusal()).toMatchObject({ status: 429, headers: { 'retry-after': '30' } });
    one.close();
    two.close();
  });
});
