import { canMove, ORDER_STATUSES, restoresStock, sourcesOf, type OrderStatus } from '../../src/domain/order-status';

const LEGAL: Array<[OrderStatus, OrderStatus]> = [
  ['PENDING', 'ACCEPTED'],
  ['PENDING', 'REJECTED'],
  ['PENDING', 'CANCELLED'],
  ['ACCEPTED', 'SHIPPED'],
  ['ACCEPTED', 'CANCELLED'],
  ['SHIPPED', 'DELIVERED'],
];

describe('order status machine', () => {
  test('the seller may make exactly the listed moves', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const legal = LEGAL.some(([f, t]) => f === from && t === to);
        expect([from, to, canMove(from, to, 'seller')]).toEqual([from, to, legal]);
      }
    }
  });

  test('the customer may only cancel a PENDING order', () => {
    const allowed = ORDER_STATUSES.flatMap((from) =>
      ORDER_STATUSES.filter((to) => canMove(from, to, 'customer')).map((to) => `${from}>${to}`),
    );
    expect(allowed).toEqual(['PENDING>CANCELLED']);
  });

  test('sourcesOf gives the guard of each move', () => {
    expect(sourcesOf('CANCELLED', 'seller')).toEqual(['PENDING', 'ACCEPTED']);
    expect(sourcesOf('CANCELLED', 'customer')).toEqual(['PENDING']);
    expect(sourcesOf('DELIVERED', 'seller')).toEqual(['SHIPPED']);
    expect(sourcesOf('PENDING', 'seller')).toEqual([]);
  });

  test('only REJECTED and CANCELLED put stock back', () => {
    expect(ORDER_STATUSES.filter(restoresStock)).toEqual(['REJECTED', 'CANCELLED']);
  });
});
