import type { Db } from '../db/prisma';
import type { Store } from '../generated/prisma/client';
import { NotFoundError } from '../domain/errors';
import type { Pagination } from '../schemas/common';
import { renderedCatalog, type CachedCatalog, type CatalogCache } from './catalog-cache';
import { fillStock, stockTemplate, type StockFigure, type StockTemplate } from './catalog-stock';
import type { ProductRow } from './product.service';
import type { Page, StoreService } from './store.service';

/** A cached catalog keeps the template its stock is laid over. */
interface TemplatedCatalog extends CachedCatalog {
  template: StockTemplate;
}

/**
 * What a buyer sees from a shared link: active, non-archived products by category.
 *
 * PostgreSQL renders the whole answer as JSON text in one round trip, whatever the number of
 * categories. Profiling showed the API spending its time decoding ~200 rows through Prisma and
 * building, stringifying and hashing ~90 KB of JSON per request; handing one string to the client
 * instead roughly halves the CPU per catalog and most of the garbage (see README, Benchmark).
 * The shape is the contract's product, exactly as the presenters write it elsewhere (a test
 * compares the two).
 */
export class CatalogService {
  constructor(
    private readonly db: Db,
    private readonly baseUrl: string,
    private readonly cache: CatalogCache,
    private readonly stores: Pick<StoreService, 'idOfSlug'>,
  ) {}

  /**
   * The catalog and its ETag. The full catalog comes from the cache while nothing changed, and
   * when only stock changed (orders, cancels), from its last render with the current stock laid
   * over it: one small query instead of a render.
   */
  async catalog(slug: string, perCategory?: number): Promise<CachedCatalog> {
    if (perCategory !== undefined) {
      return renderedCatalog(await this.catalogJson(slug, perCategory));
    }
    const storeId = await this.stores.idOfSlug(slug);
    return this.cache.get<TemplatedCatalog>(storeId, 'catalog', async (previous) => {
      const overlaid = previous && (await this.withCurrentStock(storeId, previous.template));
      return overlaid ?? this.render(slug);
    });
  }

  private async render(slug: string): Promise<TemplatedCatalog> {
    const { template, figures } = stockTemplate(await this.catalogJson(slug));
    return { ...renderedCatalog(fillStock(template, figures)!), template };
  }

  /** The template filled with stock read now; null if a product left it (then render anew). */
  private async withCurrentStock(storeId: string, template: StockTemplate): Promise<TemplatedCatalog | null> {
    if (template.ids.length === 0) return null;
    const text = fillStock(template, await this.stockOf(storeId));
    return text === null ? null : { ...renderedCatalog(text), template };
  }

  /**
   * The current stock of the store's limited products, as the catalog writes it. One string, not
   * a row per product: decoding rows cost more of the API's CPU than the render this replaces.
   */
  async stockOf(storeId: string): Promise<Map<string, StockFigure>> {
    const rows = await this.db.$queryRaw<Array<{ figures: string | null }>>`
      SELECT string_agg(id || ' ' || stock || ' ' || to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), ' ') AS figures
      FROM products WHERE store_id = ${storeId}::uuid AND stock IS NOT NULL AND archived_at IS NULL`;
    const words = rows[0]?.figures?.split(' ') ?? [];
    const figures = new Map<string, StockFigure>();
    for (let i = 0; i + 2 < words.length; i += 3) figures.set(words[i]!, { stock: Number(words[i + 1]), updatedAt: words[i + 2]! });
    return figures;
  }

  /**
   * The store a shared link names: what a buyer opens first, so it is cached like the catalog,
   * under the content token (it shows no stock; renaming a store replaces the token).
   */
  async store(slug: string): Promise<Store> {
    const storeId = await this.stores.idOfSlug(slug);
    return this.cache.get(storeId, 'store', async () => {
      const store = await this.db.store.findUnique({ where: { id: storeId } });
      if (!store) throw new NotFoundError('Store');
      return store;
    });
  }

  /**
   * The catalog as JSON text. Categories: most products first, then by name; products by name.
   * `perCategory` (opt-in; the default answer holds every product) keeps the first N products of
   * each category, while `productCount` still counts them all: big stores stay light on phones,
   * and `productsOf` pages through the rest.
   */
  async catalogJson(slug: string, perCategory?: number): Promise<string> {
    const limit = perCategory ?? 2_147_483_647;
    const rows = await this.db.$queryRaw<Array<{ body: string }>>`
      WITH s AS (
        SELECT id, name, address, slug FROM stores WHERE slug = ${slug}
      ), p AS (
        SELECT p.*, c.name AS category_name,
               row_number() OVER (PARTITION BY p.category_id ORDER BY lower(p.name), p.name, p.id) AS rn
        FROM products p JOIN categories c ON c.id = p.category_id
        WHERE p.store_id = (SELECT id FROM s) AND p.active AND p.archived_at IS NULL
      ), cats AS (
        SELECT p.category_id AS id, min(p.category_name) AS name, count(*)::int AS product_count,
          json_agg(json_build_object(
            'id', p.id, 'storeId', p.store_id, 'name', p.name, 'description', p.description,
            'mrp', trim_scale(p.mrp), 'salePrice', trim_scale(p.sale_price),
            'category', json_build_object('id', p.category_id, 'name', p.category_name),
            'image', CASE WHEN p.image IS NULL THEN NULL
                          WHEN p.image ~ '^https?://' THEN p.image
                          ELSE ${this.baseUrl} || '/uploads/' || p.image END,
            'stock', p.stock, 'active', p.active,
            'createdAt', to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'updatedAt', to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
          ) ORDER BY lower(p.name), p.name, p.id) FILTER (WHERE p.rn <= ${limit}) AS products
        FROM p GROUP BY p.category_id
      )
      SELECT json_build_object(
        'store', json_build_object('id', s.id, 'name', s.name, 'address', s.address, 'slug', s.slug, 'link', ${this.baseUrl} || '/' || s.slug),
        'categories', COALESCE((
          SELECT json_agg(json_build_object('id', id, 'name', name, 'productCount', product_count, 'products', products)
                          ORDER BY product_count DESC, lower(name), name, id)
          FROM cats), '[]'::json)
      )::text AS body
      FROM s`;
    const body = rows[0]?.body;
    if (body === undefined) throw new NotFoundError('Store');
    return body;
  }

  /** One category's visible products, by name, a page at a time (the catalog's own order). */
  async productsOf(slug: string, categoryId: string, { page, limit }: Pagination): Promise<Page<ProductRow>> {
    const category = await this.db.category.findFirst({ where: { id: categoryId, store: { slug } }, select: { id: true } });
    if (!category) throw new NotFoundError('Category');
    // Ordered as the catalog orders (lower(name), name, id), which Prisma's orderBy cannot say.
    const [ids, total] = await Promise.all([
      this.db.$queryRaw<Array<{ id: string }>>`
        SELECT id FROM products WHERE category_id = ${categoryId}::uuid AND active AND archived_at IS NULL
        ORDER BY lower(name), name, id LIMIT ${limit} OFFSET ${(page - 1) * limit}`,
      this.db.product.count({ where: { categoryId, active: true, archivedAt: null } }),
    ]);
    const rows = await this.db.product.findMany({ where: { id: { in: ids.map((r) => r.id) } }, include: { category: { select: { id: true, name: true } } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return { items: ids.map((r) => byId.get(r.id)!).filter(Boolean), page, limit, total };
  }
}
