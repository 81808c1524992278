// The order status machine. Every move not listed here (a move to the same status included) is a
// conflict; REJECTED and CANCELLED put the stock back.

export const ORDER_STATUSES = ['PENDING', 'ACCEPTED', 'REJECTED', 'CANCELLED', 'SHIPPED', 'DELIVERED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const MOVES: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ['ACCEPTED', 'REJECTED', 'CANCELLED'],
  ACCEPTED: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  REJECTED: [],
  CANCELLED: [],
  DELIVERED: [],
};

export type Actor = 'seller' | 'customer';

export function canMove(from: OrderStatus, to: OrderStatus, actor: Actor): boolean {
  if (!MOVES[from].includes(to)) return false;
  // The customer may only take back an order nobody has acted on yet.
  if (actor === 'customer') return from === 'PENDING' && to === 'CANCELLED';
  return true;
}

/** The statuses from which `actor` may move an order to `to`: the guard of the UPDATE. */
export function sourcesOf(to: OrderStatus, actor: Actor): OrderStatus[] {
  return ORDER_STATUSES.filter((from) => canMove(from, to, actor));
}

export function restoresStock(to: OrderStatus): boolean {
  return to === 'REJECTED' || to === 'CANCELLED';
}
