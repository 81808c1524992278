import type { Db } from '../db/prisma';
import { NotFoundError } from '../domain/errors';
import { decimalToPaise } from '../domain/money';
import { RecentMap } from './recent-map';
import { MAX_AGE_MS, type StoreVersions } from './store-versions';

/** What a cart line takes from a product when it is added. */
export interface ProductSnapshot {
  id: string;
  storeId: string;
  name: string;
  image: string | null;
  /** Paise. */
  mrp: number;
  /** Paise. */
  salePrice: number;
  /** null: unlimited. */
  stock: number | null;
  available: boolean;
  /** Its store was closed (the owner's account deleted): nothing of it can be added. */
  storeClosed: boolean;
  /**
   * The store's version (`any`) read before this snapshot was: the cart-add script refuses the
   * snapshot unless it is still the store's. '' when it was not read (never cached).
   */
  version: string;
}

const MAX_PRODUCTS = 20_000;

/**
 * Products as cart adds need them, per instance, each valid while its store's version in Redis is
 * the one read before it was loaded. Every commit that changes a product replaces the version
 * (StoreVersions), and the cart-add script compares it atomically with the add, so a
 * line is saved with what PostgreSQL holds when the line is added, without asking PostgreSQL on
 * every add. A product's store never changes, so that is remembered without a token.
 */
export class ProductSnapshots {
  private readonly entries = new RecentMap<ProductSnapshot>(MAX_PRODUCTS, MAX_AGE_MS);
  private readonly storeOf = new RecentMap<string>(MAX_PRODUCTS);
  /** The newest load under way per product that reads a store's version first, numbered in the order loads began. */
  private readonly flights = new Map<string, { number: number; storeId: string | undefined; snapshot: Promise<ProductSnapshot> }>();
  private begun = 0;

  constructor(
    private readonly db: Db,
    private readonly versions: Pick<StoreVersions, 'read'>,
  ) {}

  /** The cached snapshot, if there is one young enough to try. */
  cached(productId: string): ProductSnapshot | undefined {
    return this.entries.get(productId);
  }

  /** A mark for `loadShared`: loads begun after it are the ones begun after this call. */
  mark(): number {
    return this.begun;
  }

  /**
   * Like `load`, but adds of a product that miss at once share one read: a caller joins the load
   * under way if it carries a version (the cart script checks it, so a snapshot that went stale
   * while it loaded is refused, never saved) and began after `since`. A caller whose snapshot was
   * just refused passes a mark taken after the refusal, so it never gets that snapshot again.
   * (Not SingleFlightCache: that reads the store's version before every hit, and a cached add here
   * asks Redis nothing but the cart script.)
   *
   * `storeHint` is the store the caller's link names, for a product this instance has not seen:
   * its version is read before the row, so even the first adds of a product share a read. Only
   * callers that name the same store share it. If the product turns out to be of another store,
   * the snapshot carries no version, and each of those callers' adds is refused anyway (the
   * link, or the cart, is of another store than the product).
   */
  loadShared(productId: string, since = 0, storeHint?: string): Promise<ProductSnapshot> {
    const storeId = this.storeOf.get(productId) ?? storeHint;
    const flight = this.flights.get(productId);
    if (flight && flight.number > since && flight.storeId === storeId) return flight.snapshot;
    const own = { number: ++this.begun, storeId, snapshot: this.load(productId, storeId) };
    // Without a store, the product is read without a version: that read is nobody else's.
    if (storeId === undefined) return own.snapshot;
    this.flights.set(productId, own);
    const land = () => {
      if (this.flights.get(productId) === own) this.flights.delete(productId);
    };
    own.snapshot.then(land, land);
    return own.snapshot;
  }

  /**
   * A snapshot read from PostgreSQL now (404 if no such product), cached when its version is known:
   * the version of `storeId` (the product's, when this instance knows it), read before the row.
   */
  async load(productId: string, storeId = this.storeOf.get(productId)): Promise<ProductSnapshot> {
    // A product of unknown store is read once without a version (to learn its store) and cached from the next add on.
    const version = storeId ? (await this.versions.read(storeId)).any : '';
    const row = await this.db.product.findUnique({
      where: { id: productId },
      select: {
        id: true,
        storeId: true,
        name: true,
        image: true,
        mrp: true,
        salePrice: true,
        stock: true,
        active: true,
        archivedAt: true,
        store: { select: { closedAt: true } },
      },
    });
    if (!row) throw new NotFoundError('Product');
    const snapshot: ProductSnapshot = {
      id: row.id,
      storeId: row.storeId,
      name: row.name,
      image: row.image,
      mrp: decimalToPaise(row.mrp),
      salePrice: decimalToPaise(row.salePrice),
      stock: row.stock,
      available: row.active && !row.archivedAt,
      storeClosed: row.store.closedAt !== null,
      // A version of another store than the product's says nothing about the product.
      version: row.storeId === storeId ? version : '',
    };
    this.storeOf.set(productId, row.storeId);
    if (snapshot.version) this.entries.set(productId, snapshot);
    return snapshot;
  }

  /** Drops a snapshot the cart script refused as stale. */
  forget(productId: string): void {
    this.entries.delete(productId);
  }
}
