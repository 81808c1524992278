import type { Prisma } from '../../generated/prisma/client';

/** What a store's streams carry (API.md, "Events"). */
export type EventType = 'order.created' | 'order.status_changed' | 'product.stock_changed' | 'catalog.changed';

/**
 * Writes one event of a store to the outbox (store_events), in the transaction of the change it
 * tells of: a change that rolls back emits nothing, one that commits cannot lose its event.
 * emit_event (a migration's) numbers a store's events in commit order.
 */
export async function emitEvent(tx: Prisma.TransactionClient, storeId: string, type: EventType, data: object): Promise<void> {
  await tx.$queryRaw`SELECT emit_event(${storeId}::uuid, ${type}, ${JSON.stringify(data)}::jsonb)`;
}
