import { z } from 'zod';
import { ORDER_STATUSES } from '../domain/order-status';
import { linesExample, orderLine, orderTotals } from './cart.schema';
import { id, listOf, mobileInput, name, pagination, timestamp } from './common';
import { address } from './customer.schema';

export const orderParams = z.object({ orderId: id });
export const storeOrderParams = z.object({ storeId: id, orderId: id });

export const orderStatus = z.enum(ORDER_STATUSES, { error: `must be one of ${ORDER_STATUSES.join(', ')}` });

export const sellerOrderListQuery = pagination.extend({ status: orderStatus.optional() });

export const updateOrderStatusBody = z
  .object({ status: orderStatus })
  .strict()
  .meta({
    id: 'UpdateOrderStatus',
    description: 'PENDING → ACCEPTED | REJECTED | CANCELLED; ACCEPTED → SHIPPED | CANCELLED; SHIPPED → DELIVERED',
    example: { status: 'ACCEPTED' },
  });

export const orderSummary = z
  .object(Object.fromEntries(ORDER_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof ORDER_STATUSES)[number], z.ZodNumber>)
  .meta({ id: 'OrderSummary', example: { PENDING: 3, ACCEPTED: 1, REJECTED: 0, CANCELLED: 1, SHIPPED: 2, DELIVERED: 10 } });

export const storeCustomerList = listOf(
  z
    .object({
      id: z.string(),
      mobile: z.string().nullable().meta({ description: 'null once the customer deleted the account' }),
      name: z.string().nullable(),
      orderCount: z.number().int(),
      lastOrderAt: timestamp,
    })
    .meta({
      example: {
        id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d61',
        mobile: '+919123456789',
        name: 'Asha',
        orderCount: 3,
        lastOrderAt: '2026-11-21T10:00:00.000Z',
      },
    }),
).meta({ id: 'StoreCustomerList' });

export const placeOrderBody = z
  .object({ cartId: z.string().max(64), address: address.optional() })
  .strict()
  .meta({
    id: 'PlaceOrder',
    example: { cartId: '5b0f3c1e-8a9d-4c2b-9e7f-1a2b3c4d5e6f', address: { line1: '12 MG Road', city: 'Bengaluru', pincode: '560001' } },
  });

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 printable ASCII characters, without spaces, given once')
    .optional(),
});

const historyEntry = z.object({ status: z.enum(ORDER_STATUSES), at: timestamp });
const sellerHistoryEntry = historyEntry.extend({
  by: z
    .object({ role: z.enum(['customer', 'owner', 'staff']), accountId: z.string().nullable(), mobile: z.string().nullable() })
    .meta({ description: 'Who made the change (accountId and mobile are null for the customer)' }),
});

const orderFields = {
  id: z.string(),
  storeId: z.string(),
  customerId: z.string(),
  status: z.enum(ORDER_STATUSES),
  items: z.array(orderLine),
  ...orderTotals,
  address: address.nullable().meta({ description: 'null for an order picked up at the shop, or once the customer deleted the account' }),
  createdAt: timestamp,
  updatedAt: timestamp,
};
const orderExample = {
  id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d70',
  storeId: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5e',
  customerId: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d61',
  status: 'ACCEPTED',
  ...linesExample,
  address: { line1: '12 MG Road', city: 'Bengaluru', pincode: '560001' },
  createdAt: '2026-11-21T10:00:00.000Z',
  updatedAt: '2026-11-21T10:05:00.000Z',
};

/** An order as its customer sees it: its history without who in the store made each change. */
export const order = z
  .object({ ...orderFields, history: z.array(historyEntry).meta({ description: 'Every status it took, oldest first' }) })
  .meta({
    id: 'Order',
    example: {
      ...orderExample,
      history: [
        { status: 'PENDING', at: '2026-11-21T10:00:00.000Z' },
        { status: 'ACCEPTED', at: '2026-11-21T10:05:00.000Z' },
      ],
    },
  });

/** An order as the store sees it: each change with who made it. */
export const sellerOrder = z
  .object({
    ...orderFields,
    history: z.array(sellerHistoryEntry).meta({ description: 'Every status it took, oldest first, and who set it' }),
  })
  .meta({
    id: 'SellerOrder',
    example: {
      ...orderExample,
      history: [
        { status: 'PENDING', at: '2026-11-21T10:00:00.000Z', by: { role: 'customer', accountId: null, mobile: null } },
        {
          status: 'ACCEPTED',
          at: '2026-11-21T10:05:00.000Z',
          by: { role: 'staff', accountId: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d81', mobile: '+919876500001' },
        },
      ],
    },
  });

export const sellerOrderList = listOf(sellerOrder).meta({ id: 'SellerOrderList' });

export const counterOrderBody = z
  .object({
    customer: z.object({ mobile: mobileInput, name: name(1, 200).optional() }).strict(),
    items: z
      .array(z.object({ productId: id, qty: z.number().int().min(1).max(99) }).strict())
      .min(1, 'must hold at least one line')
      .max(100, 'must hold at most 100 lines'),
    address: address.optional().meta({ description: "Omitted: picked up at the shop (the order's address is null)" }),
  })
  .strict()
  .meta({
    id: 'CounterOrder',
    example: {
      customer: { mobile: '91234 56789', name: 'Asha' },
      items: [{ productId: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5f', qty: 2 }],
    },
  });

export const orderList = listOf(order).meta({ id: 'OrderList' });
export const orderListQuery = pagination;
