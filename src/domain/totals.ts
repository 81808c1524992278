// Totals of a cart or an order, from its lines, in integer paise.

export interface PricedLine {
  mrp: number;
  salePrice: number;
  qty: number;
}

export interface Totals {
  itemCount: number;
  mrpTotal: number;
  subtotal: number;
  savings: number;
}

export function lineTotal(line: PricedLine): number {
  return line.salePrice * line.qty;
}

export function totals(lines: readonly PricedLine[]): Totals {
  let itemCount = 0;
  let mrpTotal = 0;
  let subtotal = 0;
  for (const l of lines) {
    itemCount += l.qty;
    mrpTotal += l.mrp * l.qty;
    subtotal += l.salePrice * l.qty;
  }
  return { itemCount, mrpTotal, subtotal, savings: mrpTotal - subtotal };
}
