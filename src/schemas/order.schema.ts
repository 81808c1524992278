import { z } from 'zod';
import { ORDER_STATUSES } from '../domain/order-status';
import { linesExample, orderLine, orderTotals } from './cart.schema';
import { id, listOf, pagination, timestamp } from './common';
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

export const order = z
  .object({
    id: z.string(),
    storeId: z.string(),
    customerId: z.string(),
    status: z.enum(ORDER_STATUSES),
    items: z.array(orderLine),
    ...orderTotals,
    address: address.nullable().meta({ description: 'null once the customer deleted the account' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({
    id: 'Order',
    example: {
      id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d70',
      storeId: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5e',
      customerId: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d61',
      status: 'PENDING',
      ...linesExample,
      address: { line1: '12 MG Road', city: 'Bengaluru', pincode: '560001' },
      createdAt: '2026-11-21T10:00:00.000Z',
      updatedAt: '2026-11-21T10:00:00.000Z',
    },
  });

export const orderList = listOf(order).meta({ id: 'OrderList' });
export const orderListQuery = pagination;
