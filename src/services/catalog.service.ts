import type { Db } from '../db/prisma';
import { NotFoundError } from '../domain/errors';

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
  constructor(private readonly db: Db, private readonly baseUrl: string) {}

  /** The catalog as JSON text. Categories: most products first, then by name; products by name. */
  async catalogJson(slug: string): Promise<string> {
    const rows = await this.db.$queryRaw<Array<{ body: string }>>`
      WITH s AS (
        SELECT id, name, address, slug FROM stores WHERE slug = ${slug}
      ), p AS (
        SELECT p.*, c.name AS category_name
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
          ) ORDER BY lower(p.name), p.name, p.id) AS products
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
}
