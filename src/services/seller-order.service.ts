import type { OrderStatus } from '../domain/order-status';
import type { Pagination } from '../schemas/common';
import type { OrderRow, OrderService, StoreCustomer } from './order.service';
import type { Page, StoreService } from './store.service';

/** The seller's view of orders: every call first proves the store is theirs (else 404). */
export class SellerOrderService {
  constructor(
    private readonly stores: StoreService,
    private readonly orders: OrderService,
  ) {}

  async list(sellerId: string, storeId: string, page: Pagination, status?: OrderStatus): Promise<Page<OrderRow>> {
    await this.stores.get(sellerId, storeId);
    return this.orders.list({ storeId, sellerId }, page, status);
  }

  async summary(sellerId: string, storeId: string): Promise<Record<OrderStatus, number>> {
    await this.stores.get(sellerId, storeId);
    return this.orders.summary(storeId);
  }

  async get(sellerId: string, storeId: string, orderId: string): Promise<OrderRow> {
    return this.orders.get({ storeId, sellerId }, orderId);
  }

  async setStatus(sellerId: string, storeId: string, orderId: string, status: OrderStatus): Promise<OrderRow> {
    return this.orders.transition({ storeId, sellerId }, orderId, status, 'seller');
  }

  async customers(sellerId: string, storeId: string, page: Pagination): Promise<Page<StoreCustomer>> {
    await this.stores.get(sellerId, storeId);
    return this.orders.customersOf(storeId, page);
  }
}
