import { z } from 'zod';
import { sessionTokens, tokensExample } from './auth.schema';
import { name, prose } from './common';

export const address = z
  .object({
    line1: prose(1, 200),
    line2: prose(0, 200).optional(),
    city: name(1, 100),
    state: name(0, 100).optional(),
    pincode: z.string().regex(/^[1-9][0-9]{5}$/, 'must be a 6-digit PIN code'),
  })
  .strict()
  .meta({
    id: 'Address',
    example: { line1: '12 MG Road', line2: 'Near the post office', city: 'Bengaluru', state: 'Karnataka', pincode: '560001' },
  });

export const customer = z
  .object({ id: z.string(), mobile: z.string(), name: z.string().nullable(), address: address.nullable() })
  .meta({ id: 'Customer', example: { id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d61', mobile: '+919876543210', name: 'Asha', address: null } });

export const customerSession = z.object({ ...sessionTokens, customer }).meta({
  id: 'CustomerSession',
  example: {
    ...tokensExample,
    customer: { id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d61', mobile: '+919123456789', name: null, address: null },
  },
});

export const updateCustomerBody = z
  .object({ name: name(1, 200).nullable().optional(), address: address.nullable().optional() })
  .strict()
  .meta({ id: 'UpdateCustomer', example: { name: 'Asha', address: { line1: '12 MG Road', city: 'Bengaluru', pincode: '560001' } } });
