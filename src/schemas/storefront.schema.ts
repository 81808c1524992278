import { z } from 'zod';
import { MAX_SLUG_LENGTH, SLUG_PATTERN } from '../domain/slug';
import { id, pagination, queryInt } from './common';
import { product, productExample, productList } from './product.schema';
import { publicStoreExample } from './store.schema';

export const catalogQuery = z.object({
  perCategory: queryInt(1, 100).optional().meta({ description: 'At most this many products per category (productCount still counts all)' }),
});

/**
 * Slugs are what stores get: anything else names no store (404). They are lower-case by
 * construction, so a link typed with capitals (a phone keyboard's first letter) finds its store.
 */
export const storeSlug = z.string().max(MAX_SLUG_LENGTH).toLowerCase().regex(SLUG_PATTERN).meta({ example: 'ramesh-kirana' });

export const categoryProductsParams = z.object({ slug: storeSlug, categoryId: id });
export const storeProductParams = z.object({ slug: storeSlug, productId: id });
export const categoryProductsQuery = pagination;
export const categoryProducts = productList;

export const slugParams = z.object({ slug: storeSlug });

export const publicStore = z.object({ id: z.string(), name: z.string(), address: z.string(), slug: z.string(), link: z.string() }).meta({
  id: 'PublicStore',
  example: publicStoreExample,
});

export const catalog = z
  .object({
    store: publicStore,
    categories: z.array(z.object({ id: z.string(), name: z.string(), productCount: z.number().int(), products: z.array(product) })),
  })
  .meta({
    id: 'Catalog',
    description: 'Active products by category: most products first, ties by name; products by name',
    example: {
      store: publicStoreExample,
      categories: [
        {
          id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d60',
          name: 'Groceries',
          productCount: 1,
          products: [{ ...productExample, image: null }],
        },
      ],
    },
  });
