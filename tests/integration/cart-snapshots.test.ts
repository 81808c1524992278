// Cart adds read products through a per-instance snapshot cache; what a line saves must still be
// what PostgreSQL holds when the line is added, whichever instance made the change.
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import { ProductSnapshots } from '../../src/services/product-snapshots';
import { StoreVersions } from '../../src/services/store-versions';
import { buildTwoInstances, type TestApp } from '../helpers/app';
import {
  addToCart,
  auth,
  filledCart,
  newCart,
  newCustomer,
  newProduct,
  newSeller,
  newStore,
  placeOrder,
  type Seller,
} from '../helpers/factories';

describe('product snapshots behind cart adds', () => {
  let a: TestApp;
  let b: TestApp;
  let seller: Seller;
  beforeAll(async () => {
    [a, b] = await buildTwoInstances('snapshots');
    seller = await newSeller(a.app);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  const lineOf = (cart: { items: Array<{ productId: string }> }, productId: string) =>
    cart.items.find((l) => l.productId === productId) as Record<string, unknown>;

  /** Holds every read of products back (a table lock in an open transaction) until `release()`. */
  async function holdProducts(): Promise<{ release(): Promise<unknown>; end(): Promise<void> }> {
    const holder = new Client({ connectionString: a.container.config.databaseUrl });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE products IN ACCESS EXCLUSIVE MODE');
    return { release: () => holder.query('COMMIT'), end: () => holder.end() };
  }

  /** Waits (up to a second) for `done`, then a little longer, so whatever would follow it has time to show. */
  async function settle(done: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 200));
  }

  test('a product added before is added again without asking PostgreSQL', async () => {
    const store = await newStore(a.app, seller);
    const p = await newProduct(a.app, seller, store);
    const cart = await newCart(a.app, store);
    // The first add reads the product under the version of the store its link names, and caches it.
    await addToCart(a.app, cart, store, p.id, 1).expect(200);
    const read = jest.spyOn(a.container.db.product, 'findUnique');
    const res = await addToCart(a.app, cart, store, p.id, 1).expect(200);
    expect(lineOf(res.body, p.id).qty).toBe(2);
    expect(read).not.toHaveBeenCalled();
  });

  test("adds of a product that miss at once share one read of it, the very first ones too (under the link's store's version)", async () => {
    const store = await newStore(a.app, seller);
    const p = await newProduct(a.app, seller, store, { stock: 100 });
    const carts = await Promise.all(Array.from({ length: 20 }, () => newCart(a.app, store)));
    const read = jest.spyOn(a.container.db.product, 'findUnique');
    const held = await holdProducts();
    const server = a.app.listen(0, '127.0.0.1');
    try {
      let arrived = 0;
      server.on('request', () => arrived++);
      await new Promise((resolve) => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      const adds = carts.map((cart) =>
        fetch(`http://127.0.0.1:${port}/api/v1/carts/${cart}/items`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ productId: p.id, qty: 1, storeLink: store.slug }),
        }),
      );
      // Time for each add to read its body and reach the product: without sharing, each reads.
      await settle(() => arrived === carts.length && read.mock.calls.length > 0);
      expect(read).toHaveBeenCalledTimes(1);
      await held.release();
      const answers = await Promise.all(adds);
      expect(answers.map((r) => r.status)).toEqual(carts.map(() => 200));
      expect(read).toHaveBeenCalledTimes(1);
      // Read under the store's version, the snapshot is cached: the next add reads nothing.
      await addToCart(a.app, carts[0]!, store, p.id, 1).expect(200);
      expect(read).toHaveBeenCalledTimes(1);
    } finally {
      await held.end();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("a link of another store than the product's shares nothing with the right one, and caches nothing", async () => {
    const store = await newStore(a.app, seller);
    const other = await newStore(a.app, seller);
    const p = await newProduct(a.app, seller, store);
    const snapshots = new ProductSnapshots(a.container.db, new StoreVersions(a.container.redis, a.container.logger));
    const read = jest.spyOn(a.container.db.product, 'findUnique');
    const [wrong, right] = await Promise.all([snapshots.loadShared(p.id, 0, other.id), snapshots.loadShared(p.id, 0, store.id)]);
    expect(read).toHaveBeenCalledTimes(2);
    expect(wrong.version).toBe('');
    expect(right.version).not.toBe('');
    expect(right.storeId).toBe(store.id);
    expect(snapshots.cached(p.id)).toBe(right);
    // Alone, a read under another store's version is cached for nobody.
    const alone = new ProductSnapshots(a.container.db, new StoreVersions(a.container.redis, a.container.logger));
    expect((await alone.loadShared(p.id, 0, other.id)).version).toBe('');
    expect(alone.cached(p.id)).toBeUndefined();
    // And through the API: the add is refused, the right one after it is not.
    const cart = await newCart(a.app, store);
    const fresh = await newProduct(a.app, seller, store);
    expect((await addToCart(a.app, cart, other, fresh.id, 1).expect(409)).body.type).toMatch(/cart-of-another-store/);
    expect(lineOf((await addToCart(a.app, cart, store, fresh.id, 1).expect(200)).body, fresh.id).qty).toBe(1);
  });

  test('a link that names no store: the product is read for that add alone, cached for none, and the answer is 404', async () => {
    const store = await newStore(a.app, seller);
    const p = await newProduct(a.app, seller, store);
    const cart = await newCart(a.app, store);
    const read = jest.spyOn(a.container.db.product, 'findUnique');
    await request(a.app)
      .post(`/api/v1/carts/${cart}/items`)
      .send({ productId: p.id, qty: 1, storeLink: 'no-store-has-this-link' })
      .expect(404);
    expect(read).toHaveBeenCalledTimes(1);
    // Read without a version, the snapshot was not cached: the next add reads the product again.
    await addToCart(a.app, cart, store, p.id, 1).expect(200);
    expect(read).toHaveBeenCalledTimes(2);
    await addToCart(a.app, cart, store, p.id, 1).expect(200);
    expect(read).toHaveBeenCalledTimes(2);
  });

  test('a load begun before a refusal is never shared with the retry after it', async () => {
    const store = await newStore(a.app, seller);
    const p = await newProduct(a.app, seller, store);
    const snapshots = new ProductSnapshots(a.container.db, new StoreVersions(a.container.redis, a.container.logger));
    await snapshots.load(p.id); // learns the product's store
    const read = jest.spyOn(a.container.db.product, 'findUnique');
    const held = await holdProducts();
    try {
      const before = snapshots.loadShared(p.id);
      const refusedAt = snapshots.mark();
      const retry = snapshots.loadShared(p.id, refusedAt);
      const retryToo = snapshots.loadShared(p.id, refusedAt);
      const newcomer = snapshots.loadShared(p.id);
      // The retry began its own read; the second retry and a newcomer share the newest one.
      await settle(() => read.mock.calls.length >= 2);
      expect(read).toHaveBeenCalledTimes(2);
      await held.release();
      const [first, second, third, fourth] = await Promise.all([before, retry, retryToo, newcomer]);
      expect(second).not.toBe(first);
      expect(third).toBe(second);
      expect(fourth).toBe(second);
    } finally {
      await held.end();
    }
  });

  test('a change made through the other instance shows in the very next add: price, name, stock, hiding', async () => {
    const store = await newStore(a.app, seller);
    const p = await newProduct(a.app, seller, store, { name: 'Tea', mrp: 100, salePrice: 90, stock: 50 });
    const cart = await newCart(a.app, store);
    await addToCart(a.app, cart, store, p.id, 1).expect(200);
    await addToCart(a.app, cart, store, p.id, 1).expect(200);

    const patch = (body: object) =>
      request(b.app)
        .patch(`/api/v1/seller/stores/${store.id}/products/${p.id}`)
        .set(...auth(seller.token))
        .send(body)
        .expect(200);
    await patch({ name: 'Green Tea', salePrice: 80 });
    const line = lineOf((await addToCart(a.app, cart, store, p.id, 1).expect(200)).body, p.id);
    expect(line).toMatchObject({ name: 'Green Tea', salePrice: 80, qty: 3 });

    await patch({ stock: 3 });
    expect((await addToCart(a.app, cart, store, p.id, 1).expect(409)).body.type).toMatch(/out-of-stock/);

    await patch({ active: false });
    expect((await addToCart(a.app, await newCart(a.app, store), store, p.id, 1).expect(409)).body.type).toMatch(/product-unavailable/);
  });

  test('stock taken by an order on the other instance counts in the next add', async () => {
    const store = await newStore(a.app, seller);
    const p = await newProduct(a.app, seller, store, { stock: 5 });
    const cart = await newCart(a.app, store);
    await addToCart(a.app, cart, store, p.id, 1).expect(200);
    await addToCart(a.app, cart, store, p.id, 1).expect(200);
    await placeOrder(b.app, await newCustomer(b.app), await filledCart(b.app, store, [[p.id, 4]])).expect(201);
    // 1 left in stock: the cart's 2 units cannot become 3.
    expect((await addToCart(a.app, cart, store, p.id, 1).expect(409)).body.type).toMatch(/out-of-stock/);
  });

  test("when the store's version is lost (Redis restarted empty), a snapshot is not trusted", async () => {
    const store = await newStore(a.app, seller);
    const p = await newProduct(a.app, seller, store, { mrp: 100, salePrice: 100 });
    const cart = await newCart(a.app, store);
    await addToCart(a.app, cart, store, p.id, 1).expect(200);
    await addToCart(a.app, cart, store, p.id, 1).expect(200);
    // An empty Redis, then a change whose invalidation also got lost.
    await a.container.redis.del(StoreVersions.key(store.id));
    await a.container.db.product.update({ where: { id: p.id }, data: { salePrice: '55.00' } });
    expect(lineOf((await addToCart(a.app, cart, store, p.id, 1).expect(200)).body, p.id).salePrice).toBe(55);
  });

  test('when prices change while adds race on both instances, no add saves a price older than one committed before it began', async () => {
    const store = await newStore(a.app, seller);
    const p = await newProduct(a.app, seller, store, { mrp: 200, salePrice: 100 });
    // Both instances hold a cached snapshot before the race.
    const warm = await newCart(a.app, store);
    for (const t of [a, b, a, b]) await addToCart(t.app, warm, store, p.id, 1).expect(200);

    const prices = [101, 102, 103, 104, 105];
    let committed = 100;
    const saved: Array<{ price: number; floor: number }> = [];
    for (const salePrice of prices) {
      const floor = committed;
      const carts = await Promise.all(Array.from({ length: 4 }, () => newCart(a.app, store)));
      const adds = carts.map((cart, i) =>
        addToCart(i % 2 ? a.app : b.app, cart, store, p.id, 1)
          .expect(200)
          .then((res) => saved.push({ price: lineOf(res.body, p.id).salePrice as number, floor })),
      );
      const change = request(b.app)
        .patch(`/api/v1/seller/stores/${store.id}/products/${p.id}`)
        .set(...auth(seller.token))
        .send({ salePrice })
        .expect(200);
      await Promise.all([...adds, change]);
      committed = salePrice;
    }
    expect(saved).toHaveLength(20);
    // Prices only rise: an add that began after a change committed saves that price or a later one.
    for (const { price, floor } of saved) {
      expect([100, ...prices]).toContain(price);
      expect(price).toBeGreaterThanOrEqual(floor);
    }
    // Once the changes are done, any add on either instance sees the last one.
    for (const t of [a, b]) expect(lineOf((await addToCart(t.app, warm, store, p.id, 1).expect(200)).body, p.id).salePrice).toBe(105);
  });
});
