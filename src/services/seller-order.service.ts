import type { OrderStatus } from '../domain/order-status';
import type { Pagination } from '../schemas/common';
import type { Address, CustomerService } from './customer.service';
import type { OrderRow, OrderService, StoreCustomer } from './order.service';
import type { StoreAccess } from './store-access';
import type { Page } from './store.service';

export interface CounterOrderInput {
  customer: { mobile: string; name?: string };
  items: Array<{ productId: string; qty: number }>;
  address?: Address;
}

/** The store's side of orders. The store access seam has already decided the caller may act on the store. */
export class SellerOrderService {
  constructor(
    private readonly orders: OrderService,
    private readonly customers: CustomerService,
    private readonly mobileOf: (input: string) => string,
  ) {}

  list(storeId: string, page: Pagination, status?: OrderStatus): Promise<Page<OrderRow>> {
    return this.orders.list({ storeId }, page, status);
  }

  summary(storeId: string): Promise<Record<OrderStatus, number>> {
    return this.orders.summary(storeId);
  }

  get(storeId: string, orderId: string): Promise<OrderRow> {
    return this.orders.get({ storeId }, orderId);
  }

  /** A status change by the owner or a staff member, recorded with who made it. */
  setStatus(access: StoreAccess, orderId: string, status: OrderStatus): Promise<OrderRow> {
    return this.orders.transition({ storeId: access.storeId }, orderId, status, {
      role: access.role,
      id: access.accountId,
      mobile: access.mobile ?? '',
    });
  }

  customersOf(storeId: string, page: Pagination): Promise<Page<StoreCustomer>> {
    return this.orders.customersOf(storeId, page);
  }

  /** A walk-in or phone customer's order: the customer found or made by mobile, then placed as ACCEPTED. */
  async takeAtCounter(access: StoreAccess, input: CounterOrderInput, idempotencyKey?: string): Promise<OrderRow> {
    const customer = await this.customers.findOrCreate(this.mobileOf(input.customer.mobile), input.customer.name);
    return this.orders.placeAtCounter(access, customer.id, input.items, input.address ?? null, idempotencyKey);
  }
}
