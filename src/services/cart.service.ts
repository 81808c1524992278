import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Db } from '../db/prisma';
import { ConflictError, NotFoundError } from '../domain/errors';
import { decimalToPaise } from '../domain/money';
import { ARCHIVED_KEY } from './archived-products';
import * as scripts from './cart-scripts';
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
};

/**
 * Anonymous carts in Redis. The id (a UUIDv4: 122 random bits) is the only key to a cart, so it
 * must be unguessable. Every change is one Lua script (see cart-scripts.ts), so it is atomic;
 * carts expire CART_TTL_SECONDS after their last change.
 */
export class CartService {
  constructor(
    private readonly redis: Redis,
    private readonly db: Db,
    private readonly stores: StoreService,
    private readonly ttlSeconds: number,
  ) {}

  async create(storeLink: string): Promise<Cart> {
    const store = await this.stores.getByLink(storeLink);
    const id = randomUUID();
    return this.run(scripts.CREATE, id, [store.id, store.slug]);
  }

  async get(cartId: string): Promise<Cart> {
    return this.run(scripts.READ, cartId, []);
  }

  /** Adds `qty` to the product's line, with its name, image and prices as they are now. */
  async add(cartId: string, input: { productId: string; qty: number; storeLink: string }): Promise<Cart> {
    if (!UUID.test(cartId)) throw new NotFoundError('Cart');
    const slug = this.stores.slugOfLink(input.storeLink);
    const product = await this.findProduct(input.productId);
    if (!product.active || product.archivedAt) {
      await this.assertExists(cartId);
      throw new ConflictError('The product is not available.', 'product-unavailable');
    }
    const line = { n: product.name, i: product.image, m: decimalToPaise(product.mrp), s: decimalToPaise(product.salePrice) };
    try {
      return await this.run(scripts.ADD, cartId, [
        input.productId, input.qty, product.stock ?? -1, JSON.stringify(line), MAX_LINES, MAX_LINE_QTY, slug, product.storeId,
      ]);
    } catch (err) {
      if (err instanceof LinkMismatch) {
        // The link names another store than the cart's: 404 if no such store, else 409.
        await this.stores.getBySlug(slug);
        throw new ConflictError('The store link names another store than the cart.', 'cart-of-another-store');
      }
      throw err;
    }
  }

  async setQty(cartId: string, productId: string, qty: number): Promise<Cart> {
    let stock = -1;
    if (qty > 0) {
      const product = await this.findProduct(productId);
      if (!product.active || product.archivedAt) {
        await this.assertExists(cartId);
        throw new ConflictError('The product is not available.', 'product-unavailable');
      }
      stock = product.stock ?? -1;
    }
    return this.run(scripts.SET_QTY, cartId, [productId, qty, stock]);
  }

  async remove(cartId: string, productId: string): Promise<Cart> {
    return this.run(scripts.REMOVE, cartId, [productId]);
  }

  /** For checkout: the cart as it is, or null when it is unknown or expired. */
  async find(cartId: string): Promise<Cart | null> {
    if (!UUID.test(cartId)) return null;
    try {
      return await this.run(scripts.READ, cartId, []);
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  /** Updates lines' names, images and prices (after checkout found them changed). */
  async reprice(cartId: string, lines: Array<Omit<CartLine, 'qty'>>): Promise<void> {
    const args = lines.flatMap((l) => [l.productId, JSON.stringify({ n: l.name, i: l.image, m: l.mrp, s: l.salePrice })]);
    await this.run(scripts.REPRICE, cartId, args);
  }

  async delete(cartId: string): Promise<void> {
    await this.redis.del(key(cartId));
  }

  private async findProduct(productId: string) {
    const product = UUID.test(productId) ? await this.db.product.findUnique({ where: { id: productId } }) : null;
    if (!product) throw new NotFoundError('Product');
    return product;
  }

  private async assertExists(cartId: string): Promise<void> {
    if ((await this.redis.exists(key(cartId))) === 0) throw new NotFoundError('Cart');
  }

  private async run(script: string, cartId: string, args: Array<string | number>): Promise<Cart> {
    if (!UUID.test(cartId)) throw new NotFoundError('Cart');
    const reply = (await this.redis.eval(script, 2, key(cartId), ARCHIVED_KEY, Date.now(), this.ttlSeconds, ...args)) as string[];
    if (reply[0] === '!') {
      if (reply[1] === 'LINK_OF_ANOTHER_STORE') throw new LinkMismatch();
      throw (FAILURES[reply[1]!] ?? (() => new Error(`cart script failed: ${reply[1]}`)))();
    }
    return parse(cartId, reply);
  }
}

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
