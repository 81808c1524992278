import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ConflictError, NotFoundError } from '../domain/errors';
import { ARCHIVED_KEY } from './archived-products';
import { CartScripts, type CartKeys, type CartRefusal, type CartReply, type LineFields } from './cart-scripts';
import type { ProductSnapshot, ProductSnapshots } from './product-snapshots';
import type { RateLimiter } from './rate-limiter';
import { STORE_CLOSED, type StoreService } from './store.service';
import { StoreVersions } from './store-versions';

export const MAX_LINE_QTY = 99;
export const MAX_LINES = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CartLine {
  productId: string;
  name: string;
  image: string | null;
  /** Paise. */
  mrp: number;
  /** Paise. */
  salePrice: number;
  qty: number;
}

export interface Cart {
  id: string;
  storeId: string;
  slug: string;
  lines: CartLine[];
  updatedAt: Date;
}

/** A line as the cart hash stores it: its product's fields, its quantity and its place. */
interface StoredLine extends LineFields {
  q: number;
  o: number;
}

/** What each refusal means to the buyer; STALE and LINK_OF_ANOTHER_STORE are handled in `add`. */
const REFUSALS: Record<Exclude<CartRefusal, 'STALE' | 'LINK_OF_ANOTHER_STORE'>, () => Error> = {
  NO_CART: () => new NotFoundError('Cart'),
  NO_LINE: () => new NotFoundError('Cart line'),
  PRODUCT_OF_ANOTHER_STORE: () => new ConflictError('The product belongs to another store than the cart.', 'cart-of-another-store'),
  TOO_MANY_LINES: () => new ConflictError(`A cart holds at most ${MAX_LINES} different products.`, 'cart-full'),
  LINE_LIMIT: () => new ConflictError(`A line holds at most ${MAX_LINE_QTY} units.`, 'line-limit'),
  OUT_OF_STOCK: () => new ConflictError('Not enough stock for that quantity.', 'out-of-stock'),
  UNAVAILABLE: () => unavailable(),
};

export interface CartSettings {
  /** A cart with lines expires this long after its last change. */
  ttlSeconds: number;
  /** A cart without lines expires this long after its last change. */
  emptyTtlSeconds: number;
  /** New carts per client IP per minute. */
  perIpPerMinute: number;
}

/** Tries of a cached product before adding what was just read without the version check. */
const STALE_TRIES = 3;

/**
 * Anonymous carts in Redis. The id (a UUIDv4: 122 random bits) is the only key to a cart, so it
 * must be unguessable. Every change is one Lua script (cart-scripts.ts), so it is atomic; carts
 * expire CART_TTL_SECONDS after their last change, or EMPTY_CART_TTL_SECONDS while they hold no line.
 */
export class CartService {
  private readonly scripts: CartScripts;

  constructor(
    private readonly redis: Redis,
    private readonly stores: StoreService,
    private readonly products: ProductSnapshots,
    private readonly settings: CartSettings,
    private readonly limiter: RateLimiter,
    private readonly openStore: (slug: string) => Promise<{ id: string }>,
  ) {
    this.scripts = new CartScripts(redis);
  }

  /** A new empty cart for the store a link names; `ip` counts against the per-address limit. */
  async create(storeLink: string, ip: string): Promise<Cart> {
    const slug = this.stores.slugOfLink(storeLink);
    // The store as buyers see it (cached per instance under its version): 404 unknown, 410 closed.
    // Both ask Redis, so they go together: a Redis that does not answer costs one wait, not two.
    const [{ id: storeId }] = await Promise.all([
      this.openStore(slug),
      this.limiter.hit(
        [{ key: `carts:ip:${ip}`, max: this.settings.perIpPerMinute, windowSeconds: 60 }],
        'Too many new carts from this address. Try again in a minute.',
      ),
    ]);
    const cartId = randomUUID();
    return cartOf(cartId, await this.scripts.create(keys(cartId), { ...this.touch(), storeId, slug }));
  }

  async get(cartId: string): Promise<Cart> {
    if (!UUID.test(cartId)) throw new NotFoundError('Cart');
    return cartOf(cartId, await this.scripts.read(keys(cartId), this.touch()));
  }

  /**
   * Adds `qty` to the product's line, with its name, image and prices as they are now: from a
   * snapshot the cart script accepts only if the store's version is still the one the snapshot
   * was read under (else it answers STALE, and the product is read again).
   */
  async add(cartId: string, input: { productId: string; qty: number; storeLink: string }): Promise<Cart> {
    if (!UUID.test(cartId)) throw new NotFoundError('Cart');
    if (!UUID.test(input.productId)) throw new NotFoundError('Product');
    const slug = this.stores.slugOfLink(input.storeLink);
    // Not cached: one read shared by the adds of it under way (for a product new here, under the link's store's version).
    let product = this.products.cached(input.productId);
    product ??= await this.products.loadShared(input.productId, 0, await this.storeOfLink(slug));
    if (product.storeClosed) throw STORE_CLOSED();
    let reply = await this.addLine(cartId, slug, product, input.qty);
    for (let tries = 1; 'refused' in reply && reply.refused === 'STALE'; tries++) {
      // A load begun before the refusal may have read what was refused: the retry shares only a newer one.
      const refusedAt = this.products.mark();
      this.products.forget(input.productId);
      product = await this.products.loadShared(input.productId, refusedAt);
      if (product.storeClosed) throw STORE_CLOSED();
      // Under a stream of changes to the store, add what was just read, as an uncached add would.
      if (tries >= STALE_TRIES) product = { ...product, version: '' };
      reply = await this.addLine(cartId, slug, product, input.qty);
    }
    if ('refused' in reply && reply.refused === 'LINK_OF_ANOTHER_STORE') {
      // The link names another store than the cart's: 404 if no such store, else 409.
      await this.stores.idOfSlug(slug);
      throw new ConflictError('The store link names another store than the cart.', 'cart-of-another-store');
    }
    return cartOf(cartId, reply);
  }

  /** The id of the store a link names, or undefined if none does (the cart script then says what is wrong). */
  private storeOfLink(slug: string): Promise<string | undefined> {
    return this.stores.idOfSlug(slug).catch((err: unknown) => {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    });
  }

  private addLine(cartId: string, slug: string, product: ProductSnapshot, qty: number): Promise<CartReply> {
    return this.scripts.add(
      { ...keys(cartId), storeVersion: StoreVersions.key(product.storeId) },
      {
        ...this.touch(),
        productId: product.id,
        qty,
        stock: product.stock ?? undefined,
        line: lineFields(product),
        maxLines: MAX_LINES,
        maxQty: MAX_LINE_QTY,
        slug,
        storeId: product.storeId,
        version: product.version || undefined,
        available: product.available,
      },
    );
  }

  async setQty(cartId: string, productId: string, qty: number): Promise<Cart> {
    if (!UUID.test(cartId)) throw new NotFoundError('Cart');
    let stock: number | undefined;
    if (qty > 0) {
      if (!UUID.test(productId)) throw new NotFoundError('Product');
      // Read fresh: a quantity set is rare, and its stock check should see the latest stock.
      const product = await this.products.load(productId);
      if (!product.available) {
        await this.get(cartId);
        throw unavailable();
      }
      stock = product.stock ?? undefined;
    }
    return cartOf(cartId, await this.scripts.setQty(keys(cartId), { ...this.touch(), productId, qty, stock }));
  }

  async remove(cartId: string, productId: string): Promise<Cart> {
    if (!UUID.test(cartId)) throw new NotFoundError('Cart');
    return cartOf(cartId, await this.scripts.remove(keys(cartId), { ...this.touch(), productId }));
  }

  /** For checkout: the cart as it is, or null when it is unknown or expired. */
  async find(cartId: string): Promise<Cart | null> {
    if (!UUID.test(cartId)) return null;
    const reply = await this.scripts.read(keys(cartId), this.touch());
    return 'refused' in reply ? null : cartOf(cartId, reply);
  }

  /** Updates lines' names, images and prices (after checkout found them changed). */
  async reprice(cartId: string, lines: Array<Omit<CartLine, 'qty'>>): Promise<void> {
    const fresh = lines.map((l) => ({ productId: l.productId, line: { n: l.name, i: l.image, m: l.mrp, s: l.salePrice } }));
    await this.scripts.reprice(keys(cartId), { ...this.touch(), lines: fresh });
  }

  async delete(cartId: string): Promise<void> {
    await this.redis.del(keys(cartId).cart);
  }

  private touch(): { now: number; ttl: number; emptyTtl: number } {
    return { now: Date.now(), ttl: this.settings.ttlSeconds, emptyTtl: this.settings.emptyTtlSeconds };
  }
}

function unavailable(): Error {
  return new ConflictError('The product is not available.', 'product-unavailable');
}

function keys(cartId: string): CartKeys {
  return { cart: `cart:${cartId.toLowerCase()}`, archived: ARCHIVED_KEY };
}

function lineFields(p: ProductSnapshot): LineFields {
  return { n: p.name, i: p.image, m: p.mrp, s: p.salePrice };
}

/** The cart a script answered with, or the error its refusal means. */
function cartOf(id: string, reply: CartReply): Cart {
  if ('refused' in reply) {
    const refusal = REFUSALS[reply.refused as keyof typeof REFUSALS];
    throw refusal ? refusal() : new Error(`cart script refused: ${reply.refused}`);
  }
  const { fields } = reply;
  const lines: Array<{ order: number; line: CartLine }> = [];
  for (const [k, v] of fields) {
    if (!k.startsWith('l:')) continue;
    const l = JSON.parse(v) as StoredLine;
    lines.push({ order: l.o, line: { productId: k.slice(2), name: l.n, image: l.i ?? null, mrp: l.m, salePrice: l.s, qty: l.q } });
  }
  lines.sort((a, b) => a.order - b.order);
  return {
    id: id.toLowerCase(),
    storeId: fields.get('store')!,
    slug: fields.get('slug')!,
    lines: lines.map((l) => l.line),
    updatedAt: new Date(Number(fields.get('updatedAt'))),
  };
}
