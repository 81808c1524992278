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
    example: {
      id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5e',
      name: 'Ramesh Kirana',
      address: '12 MG Road, Bengaluru',
      slug: 'ramesh-kirana',
      link: 'http://localhost:3000/ramesh-kirana',
      createdAt: '2026-11-21T10:00:00.000Z',
    },
  });

export const storeList = listOf(store).meta({ id: 'StoreList' });
export const storeListQuery = pagination;
