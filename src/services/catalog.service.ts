import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Db } from '../db/prisma';
import { etagOf } from '../domain/etag';
import { NotFoundError } from '../domain/errors';
import type { Store } from '../generated/prisma/client';
import type { Pagination } from '../schemas/common';
import type { ProductView } from './product.service';
import { Semaphore } from './semaphore';
import { SingleFlightCache } from './single-flight-cache';
import { overlayStock, type CatalogView, type StockFigure } from './stock-overlay';
import { STORE_CLOSED, type Page, type StoreService } from './store.service';
import { MAX_AGE_MS, type StoreVersion, type StoreVersions } from './store-versions';

/** A catalog answer: its UTF-8 bytes (Express writes a Buffer as it is) and their ETag. */
export interface CachedCatalog {
  body: Buffer;
  etag: string;
}

/** A rendered catalog, and what the stock overlay needs to build the next one on it. */
interface RenderedCatalog extends CachedCatalog {
  view: CatalogView;
  /** The `content` version it was rendered under. */
  content: string;
  /** When PostgreSQL was last read whole for it (overlays keep the time of the render they build on). */
  renderedAt: number;
}

type CatalogProduct = CatalogView['categories'][number]['products'][number];

/** How the contract writes a product and a store: the presenters', the one definition. */
export interface CatalogPresenter {
  product(p: ProductView): CatalogProduct;
  publicStore(s: Store): CatalogView['store'];
}

/** Stores whose catalog, and whose public details, an instance keeps. */
const MAX_STORES = 1_000;
/**
 * `perCategory` variants kept, across stores. Each is the bytes of an answer (up to 100 products
 * a category), and anyone can ask for any N from 1 to 100, so they are kept fewer than catalogs:
 * a variant that went is cut again from the cached catalog, which costs no query.
 */
const MAX_VARIANTS = 100;

/**
 * What a buyer sees from a shared link: the store's public details and its catalog (active,
 * non-archived products by category), cached per instance under the store's version
 * (StoreVersions) with one render at a time (SingleFlightCache). The catalog depends on every
 * change (`any`), the store's details on every change but stock's (`content`). When only stock
 * changed since the last render, the next catalog is that render with the current stock laid over
 * it (stock-overlay.ts). `perCategory` variants, category pages and single products are cut from
 * the full render, never rendered.
 */
export class CatalogService {
  private readonly catalogs = new SingleFlightCache<RenderedCatalog, StoreVersion>({
    idOf: (v) => v.any,
    maxEntries: MAX_STORES,
    maxAgeMs: MAX_AGE_MS,
  });
  private readonly variants = new SingleFlightCache<CachedCatalog, string>({
    idOf: (etag) => etag,
    maxEntries: MAX_VARIANTS,
    maxAgeMs: MAX_AGE_MS,
  });
  private readonly stores = new SingleFlightCache<Store, StoreVersion>({
    idOf: (v) => v.content,
    maxEntries: MAX_STORES,
    maxAgeMs: MAX_AGE_MS,
  });

  /**
   * Renders (and stock overlays) at once in this instance. Each store has at most one at a time
   * already; this bounds them across stores, so buyers opening many uncached catalogs hold at most
   * a few database connections, and seller and checkout requests keep theirs.
   */
  private readonly renders: Semaphore;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly versions: StoreVersions,
    private readonly slugs: Pick<StoreService, 'idOfSlug'>,
    private readonly presenter: CatalogPresenter,
    options: { renders: number; now?: () => number },
  ) {
    this.renders = new Semaphore(options.renders);
    this.now = options.now ?? (() => Date.now());
  }

  /** The catalog and its ETag; with `perCategory`, the first N products of each category. */
  async catalog(slug: string, perCategory?: number): Promise<CachedCatalog> {
    const full = await this.rendered(slug);
    if (perCategory === undefined) return full;
    return this.variants.get(
      `${full.view.store.id}:${perCategory}`,
      async () => full.etag,
      () => answer(firstOfEach(full.view, perCategory)),
    );
  }

  /** The catalog as objects and its ETag, from the same cache: what the storefront pages are made of. */
  async view(slug: string): Promise<{ view: CatalogView; etag: string }> {
    const { view, etag } = await this.rendered(slug);
    return { view, etag };
  }

  /** The full catalog, cached; renders take turns with other stores' (the bulkhead). */
  private async rendered(slug: string): Promise<RenderedCatalog> {
    const storeId = await this.slugs.idOfSlug(slug);
    return this.catalogs.get(
      storeId,
      () => this.versions.read(storeId),
      (version, previous) => this.renders.run(() => this.load(storeId, version, previous)),
    );
  }

  /** The store a shared link names: what a buyer opens first. */
  async store(slug: string): Promise<Store> {
    const storeId = await this.slugs.idOfSlug(slug);
    return this.stores.get(
      storeId,
      () => this.versions.read(storeId),
      () => this.storeRow(storeId),
    );
  }

  private async load(storeId: string, version: StoreVersion | null, previous: RenderedCatalog | undefined): Promise<RenderedCatalog> {
    const content = version?.content ?? '';
    if (previous && version && previous.content === content && this.now() - previous.renderedAt < MAX_AGE_MS) {
      const overlaid = overlayStock(previous.view, await this.stockOf(storeId));
      if (overlaid) return { ...(await answer(overlaid)), view: overlaid, content, renderedAt: previous.renderedAt };
    }
    const renderedAt = this.now();
    const view = await this.render(storeId);
    return { ...(await answer(view)), view, content, renderedAt };
  }

  /** The whole catalog from PostgreSQL. Categories: most products first, then by name; products by name. */
  async render(storeId: string): Promise<CatalogView> {
    const [store, rows] = await Promise.all([this.storeRow(storeId), this.visibleProducts(storeId)]);
    const categories: CatalogView['categories'] = [];
    let presented = 0;
    for (const row of rows) {
      let category = categories.at(-1);
      if (category?.id !== row.category.id) {
        category = { id: row.category.id, name: row.category.name, productCount: 0, products: [] };
        categories.push(category);
      }
      category.productCount++;
      category.products.push(this.presenter.product(row));
      // Only big stores ever yield: a turn of a loaded event loop is slow, and a small render is not.
      if (++presented % PRODUCTS_PER_TURN === 0) await nextTurn();
    }
    return { store: this.presenter.publicStore(store), categories };
  }

  /**
   * The store's active products, each category's together, in the catalog's order. The order is
   * PostgreSQL's (lower(name) under the database's collation), as in productsOf, which Prisma's
   * orderBy cannot say.
   */
  private visibleProducts(storeId: string): Promise<ProductView[]> {
    return this.db.$queryRaw<ProductView[]>`
      SELECT p.id, p.store_id AS "storeId", p.name, p.description, p.mrp, p.sale_price AS "salePrice", p.image,
             p.image_variants AS "imageVariants", p.stock,
             p.active, p.created_at AS "createdAt", p.updated_at AS "updatedAt",
             json_build_object('id', c.id, 'name', c.name) AS category
      FROM products p JOIN categories c ON c.id = p.category_id
      WHERE p.store_id = ${storeId}::uuid AND p.active AND p.archived_at IS NULL
      ORDER BY count(*) OVER (PARTITION BY c.id) DESC, lower(c.name), c.name, c.id, lower(p.name), p.name, p.id`;
  }

  /** The current stock of the store's limited products, by id. */
  async stockOf(storeId: string): Promise<Map<string, StockFigure>> {
    const rows = await this.db.product.findMany({
      where: { storeId, stock: { not: null }, archivedAt: null },
      select: { id: true, stock: true, updatedAt: true },
    });
    return new Map(rows.map((r) => [r.id, { stock: r.stock!, updatedAt: r.updatedAt }]));
  }

  private async storeRow(storeId: string): Promise<Store> {
    const store = await this.db.store.findUnique({ where: { id: storeId } });
    if (!store) throw new NotFoundError('Store');
    if (store.closedAt) throw STORE_CLOSED();
    return store;
  }

  /** One product as the catalog shows it (active, of this store), from the cached render. */
  async product(slug: string, productId: string): Promise<CatalogProduct> {
    const { view } = await this.rendered(slug);
    for (const category of view.categories) {
      const found = category.products.find((p) => p.id === productId);
      if (found) return found;
    }
    throw new NotFoundError('Product');
  }

  /**
   * One category's visible products, a page at a time, in the catalog's order: cut from the cached
   * catalog, like `perCategory`, so paging costs no render. A category of the store with no visible
   * product is an empty page; one of no such store is 404.
   */
  async productsOf(slug: string, categoryId: string, { page, limit }: Pagination): Promise<Page<CatalogProduct>> {
    const { view } = await this.rendered(slug);
    const category = view.categories.find((c) => c.id === categoryId);
    if (!category) {
      const exists = await this.db.category.count({ where: { id: categoryId, storeId: view.store.id } });
      if (!exists) throw new NotFoundError('Category');
    }
    const products = category?.products ?? [];
    return { items: products.slice((page - 1) * limit, page * limit), page, limit, total: products.length };
  }
}

/** Products presented or written between two turns of the event loop. */
const PRODUCTS_PER_TURN = 500;

async function answer(view: CatalogView): Promise<CachedCatalog> {
  const body = Buffer.from(await catalogJson(view));
  return { body, etag: etagOf(body) };
}

/**
 * JSON.stringify(view), to the byte, written a few hundred products at a time with a turn of the
 * event loop between: a 10,000-product catalog is megabytes, and writing it in one go held every
 * other request of the process (the bench's catalog flood).
 */
export async function catalogJson(view: CatalogView): Promise<string> {
  const parts = [`{"store":${JSON.stringify(view.store)},"categories":[`];
  let sinceTurn = 0;
  for (const [i, c] of view.categories.entries()) {
    parts.push(
      `${i ? ',' : ''}{"id":${JSON.stringify(c.id)},"name":${JSON.stringify(c.name)},"productCount":${c.productCount},"products":[`,
    );
    for (let at = 0; at < c.products.length; at += PRODUCTS_PER_TURN) {
      const slice = JSON.stringify(c.products.slice(at, at + PRODUCTS_PER_TURN));
      parts.push(`${at ? ',' : ''}${slice.slice(1, -1)}`);
      sinceTurn += Math.min(PRODUCTS_PER_TURN, c.products.length - at);
      // As in render: a catalog of fewer products than this is written in one go.
      if (sinceTurn >= PRODUCTS_PER_TURN * 2) {
        sinceTurn = 0;
        await nextTurn();
      }
    }
    parts.push(']}');
  }
  parts.push(']}');
  return parts.join('');
}

/** The catalog with the first `n` products of each category; `productCount` still counts them all. */
function firstOfEach(view: CatalogView, n: number): CatalogView {
  return { store: view.store, categories: view.categories.map((c) => ({ ...c, products: c.products.slice(0, n) })) };
}
