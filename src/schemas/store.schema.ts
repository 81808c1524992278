import { z } from 'zod';
import { PERMISSIONS } from '../domain/permissions';
import { id, listOf, mobileInput, name, pagination, prose, timestamp } from './common';

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
    role: z.enum(['owner', 'staff']).meta({ description: "The caller's role in the store" }),
    permissions: z.array(z.enum(PERMISSIONS)).meta({ description: "The caller's permissions (the owner's are all four)" }),
  })
  .meta({
    id: 'Store',
    example: { ...publicStoreExample, createdAt: '2026-11-21T10:00:00.000Z', role: 'owner', permissions: [...PERMISSIONS] },
  });

export const storeList = listOf(store).meta({ id: 'StoreList' });
export const storeListQuery = pagination;

export const permission = z.enum(PERMISSIONS, { error: `must be one of ${PERMISSIONS.join(', ')}` });
const permissions = z
  .array(permission)
  .min(1, 'must name at least one permission')
  .max(PERMISSIONS.length)
  .refine((p) => new Set(p).size === p.length, 'must not name a permission twice')
  .meta({ description: 'products (products, categories, import), orders, customers, settings (store name and address, webhooks)' });

export const staffParams = z.object({ storeId: id, staffId: id });

export const addStaffBody = z
  .object({ mobile: mobileInput, name: name(1, 200).optional(), permissions })
  .strict()
  .meta({ id: 'AddStaff', example: { mobile: '98765 00001', name: 'Suresh', permissions: ['orders'] } });

export const updateStaffBody = z
  .object({ name: name(1, 200).nullable().optional(), permissions: permissions.optional() })
  .strict()
  .meta({ id: 'UpdateStaff', example: { permissions: ['orders', 'products'] } });

export const staffMember = z
  .object({ id: z.string(), mobile: z.string(), name: z.string().nullable(), permissions: z.array(permission), createdAt: timestamp })
  .meta({
    id: 'StaffMember',
    example: {
      id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d80',
      mobile: '+919876500001',
      name: 'Suresh',
      permissions: ['orders'],
      createdAt: '2026-11-21T10:00:00.000Z',
    },
  });

export const staffList = z.object({ items: z.array(staffMember) }).meta({ id: 'StaffList' });
