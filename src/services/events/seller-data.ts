import type { Db } from '../../db/prisma';
import type { EventType } from './outbox';

/** An event as the outbox holds it. */
export interface OutboxRow {
  seq: bigint;
  type: EventType;
  data: Record<string, unknown>;
}

/**
 * What the seller side hears of an event (the seller stream and webhooks say the same): the order
 * itself as the store sees it, the stock with the units sold, or the event's own data. The outbox
 * holds only ids and numbers; this reads the rest when it is sent.
 */
export class SellerEventData {
  constructor(
    private readonly db: Db,
    /** The order as the store saw it when it was placed (null if it is gone). */
    private readonly describeOrder: (storeId: string, orderId: string) => Promise<object | null>,
  ) {}

  async of(storeId: string, row: Pick<OutboxRow, 'type' | 'data'>): Promise<object | null> {
    if (row.type === 'order.created') return this.describeOrder(storeId, row.data.orderId as string);
    if (row.type === 'product.stock_changed') {
      const sold = await this.db.$queryRaw<Array<{ sold: number }>>`
        SELECT coalesce(sum(l.qty), 0)::int AS sold FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE l.product_id = ${row.data.productId as string}::uuid AND o.status NOT IN ('CANCELLED', 'REJECTED')`;
      return { productId: row.data.productId, stock: row.data.stock, sold: sold[0]?.sold ?? 0 };
    }
    return row.data;
  }
}
