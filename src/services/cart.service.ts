import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ConflictError, NotFoundError } from '../domain/errors';
import { ARCHIVED_KEY } from './archived-products';
import { CART_SCRIPTS, type CartScript } from './cart-scripts';
import { catalogTokenKey } from './catalog-cache';
import type { ProductSnapshot, ProductSnapshots } from './product-snapshots';
import type { StoreService } from './store.service';

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

interface StoredLine {
  n: string;
  i: string | null;
  m: number;
  s: number;
  q: number;
  o: number;
}

const FAILURES: Record<string, () => Error> = {
  NO_CART: () => new NotFoundError('Cart'),
  NO_LINE: () => new NotFoundError('Cart line'),
  PRODUCT_OF_ANOTHER_STORE: () => new ConflictError('The product belongs to another store than the cart.', 'cart-of-another-store'),
  TOO_MANY_LINES: () => new ConflictError(`A cart holds at most ${MAX_LINES} different products.`, 'cart-full'),
  LINE_LIMIT: () => new ConflictError(`A line holds at most ${MAX_LINE_QTY} units.`, 'line-limit'),
  OUT_OF_STOCK: () => new ConflictError('Not enough stock for that quantity.', 'out-of-stock'),
  UNAVAILABLE: () => unavailable(),
};

/** Tries of a cached product before adding what was just read without the token check. */
const STALE_TRIES = 3;

type ScriptRunner = Record<CartScript, (keys: number, ...args: Array<string | number>) => Promise<string[]>>;

/**
 * Anonymous carts in Redis. The id (a UUIDv4: 122 random bits) is the only key to a cart, so it
 * must be unguessable. Every change is one Lua script (see cart-scripts.ts), so it is atomic;
 * carts expire CART_TTL_SECONDS after their last change.
 */
export class CartService {
  constructor(
    private readonly redis: Redis,
    private readonly stores: StoreService,
    private readonly products: ProductSnapshots,
    private readonly ttlSeconds: number,
  ) {
    for (const [name, lua] of Object.entries(CART_SCRIPTS)) redis.defineCommand(name, { lua });
  }

  async create(storeLink: string): Promise<Cart> {
    const slug = this.stores.slugOfLink(storeLink);
    const storeId = await this.stores.idOfSlug(slug);
    return this.run('cartCreate', randomUUID(), [storeId, slug]);
  }

  async get(cartId: string): Promise<Cart> {
    return this.run('cartRead', cartId, []);
  }

  /**
   * Adds `qty` to the product's line, with its name, image and prices as they are now: from a
   * snapshot the cart script accepts only if no change to the store committed since it was read.
   */
  async add(cartId: string, input: { productId: string; qty: number; storeLink: string }): Promise<Cart> {
    if (!UUID.test(cartId)) throw new NotFoundError('Cart');
    if (!UUID.test(input.productId)) throw new NotFoundError('Product');
    const slug = this.stores.slugOfLink(input.storeLink);
    let product = this.products.cached(input.productId) ?? (await this.products.load(input.productId));
    for (let tries = 1; ; tries++) {
      try {
        return await this.addLine(cartId, slug, product, input.qty);
      } catch (err) {
        if (err instanceof LinkMismatch) {
          // The link names another store than the cart's: 404 if no such store, else 409.
          await this.stores.idOfSlug(slug);
          throw new ConflictError('The store link names another store than the cart.', 'cart-of-another-store');
        }
        if (!(err instanceof Stale)) throw err;
        this.products.forget(input.productId);
        product = await this.products.load(input.productId);
        // Under a stream of changes to the store, add what was just read, as an uncached add would.
        if (tries >= STALE_TRIES) product = { ...product, token: '' };
      }
    }
  }

  private addLine(cartId: string, slug: string, product: ProductSnapshot, qty: number): Promise<Cart> {
    const line = JSON.stringify({ n: product.name, i: product.image, m: product.mrp, s: product.salePrice });
    return this.run('cartAdd', cartId, [
      product.id, qty, product.stock ?? -1, line, MAX_LINES, MAX_LINE_QTY, slug, product.storeId, product.token, product.available ? 1 : 0,
    ], catalogTokenKey(product.storeId));
  }

  async setQty(cartId: string, productId: string, qty: number): Promise<Cart> {
    let stock = -1;
    if (qty > 0) {
      if (!UUID.test(productId)) throw new NotFoundError('Product');
      // Read fresh: a quantity set is rare, and its stock check should see the latest stock.
      const product = await this.products.load(productId);
      if (!product.available) {
        await this.assertExists(cartId);
        throw unavailable();
      }
      stock = product.stock ?? -1;
    }
    return this.run('cartSetQty', cartId, [productId, qty, stock]);
  }

  async remove(cartId: string, productId: string): Promise<Cart> {
    return this.run('cartRemove', cartId, [productId]);
  }

  /** For checkout: the cart as it is, or null when it is unknown or expired. */
  async find(cartId: string): Promise<Cart | null> {
    if (!UUID.test(cartId)) return null;
    try {
      return await this.run('cartRead', cartId, []);
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  /** Updates lines' names, images and prices (after checkout found them changed). */
  async reprice(cartId: string, lines: Array<Omit<CartLine, 'qty'>>): Promise<void> {
    const args = lines.flatMap((l) => [l.productId, JSON.stringify({ n: l.name, i: l.image, m: l.mrp, s: l.salePrice })]);
    await this.run('cartReprice', cartId, args);
  }

  async delete(cartId: string): Promise<void> {
    await this.redis.del(key(cartId));
  }

  private async assertExists(cartId: string): Promise<void> {
    if ((await this.redis.exists(key(cartId))) === 0) throw new NotFoundError('Cart');
  }

  /** Runs a cart script on the cart (KEYS[1]) and the archived set (KEYS[2]), plus `extraKey`. */
  private async run(script: CartScript, cartId: string, args: Array<string | number>, extraKey?: string): Promise<Cart> {
    if (!UUID.test(cartId)) throw new NotFoundError('Cart');
    const keys = extraKey ? [key(cartId), ARCHIVED_KEY, extraKey] : [key(cartId), ARCHIVED_KEY];
    const reply = await (this.redis as unknown as ScriptRunner)[script](keys.length, ...keys, Date.now(), this.ttlSeconds, ...args);
    if (reply[0] === '!') {
      if (reply[1] === 'LINK_OF_ANOTHER_STORE') throw new LinkMismatch();
      if (reply[1] === 'STALE') throw new Stale();
      throw (FAILURES[reply[1]!] ?? (() => new Error(`cart script failed: ${reply[1]}`)))();
    }
    return parse(cartId, reply);
  }
}

function unavailable(): Error {
  return new ConflictError('The product is not available.', 'product-unavailable');
}

class Stale extends Error {}
class LinkMismatch extends Error {}

function key(cartId: string): string {
  return `cart:${cartId.toLowerCase()}`;
}

function parse(id: string, flat: string[]): Cart {
  const fields = new Map<string, string>();
  for (let i = 0; i < flat.length; i += 2) fields.set(flat[i]!, flat[i + 1]!);
  const lines: Array<CartLine & { order: number }> = [];
  for (const [k, v] of fields) {
    if (!k.startsWith('l:')) continue;
    const l = JSON.parse(v) as StoredLine;
    lines.push({ productId: k.slice(2), name: l.n, image: l.i ?? null, mrp: l.m, salePrice: l.s, qty: l.q, order: l.o });
  }
  lines.sort((a, b) => a.order - b.order);
  return {
    id: id.toLowerCase(),
    storeId: fields.get('store')!,
    slug: fields.get('slug')!,
    lines: lines.map(({ order: _order, ...line }) => line),
    updatedAt: new Date(Number(fields.get('updatedAt'))),
  };
}
