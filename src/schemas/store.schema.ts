import { z } from 'zod';
import { id, listOf, name, pagination, prose, timestamp } from './common';

export const storeParams = z.object({ storeId: id });

export const createStoreBody = z
  .object({ name: name(1, 200), address: prose(1, 500) })
  .strict()
  .meta({ id: 'CreateStore', example: { name: 'Ramesh Kirana', address: '12 MG Road, Bengaluru' } });
export type CreateStoreBody = z.infer<typeof createStoreBody>;

export const updateStoreBody = z
  .object({ name: name(1, 200).optional(), address: prose(1, 500).optional() })
  .strict()
  .meta({ id: 'UpdateStore', example: { name: 'Ramesh Kirana & Sons' } });

/** A store as buyers see it, in the OpenAPI examples of the store, the public store and the catalog. */
export const publicStoreExample = {
  id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5e',
  name: 'Ramesh Kirana',
  address: '12 MG Road, Bengaluru',
  slug: 'ramesh-kirana',
  link: 'http://localhost:3000/ramesh-kirana',
};

export const store = z
  .object({
    id: z.string(),
    name: z.string(),
    address: z.string(),
    slug: z.string(),
    link: z.string().meta({ description: 'PUBLIC_BASE_URL/slug: the link sellers share' }),
    createdAt: timestamp,
  })
  .meta({
    id: 'Store',
    example: { ...publicStoreExample, createdAt: '2026-11-21T10:00:00.000Z' },
  });

export const storeList = listOf(store).meta({ id: 'StoreList' });
export const storeListQuery = pagination;
