// Money is integer paise inside the program, a `numeric(12,2)` string in PostgreSQL, and a JSON
// number of rupees (at most 2 decimals) on the wire. Arithmetic only ever happens on paise.

export const MAX_RUPEES = 10_000_000;

/** Rupees as received in JSON or a form field, to exact paise; null if not a 2-decimal amount. */
export function rupeesToPaise(value: number | string): number | null {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  return whole * 100 + fraction;
}

/** A numeric column's value (Prisma Decimal or its string) to paise, exactly. */
export function decimalToPaise(value: { toFixed(digits: number): string } | string): number {
  const text = typeof value === 'string' ? value.trim() : value.toFixed(2);
  const match = /^(-)?(\d+)(?:\.(\d{1,2}))?0*$/.exec(text);
  if (!match) throw new RangeError(`Not an amount of money with at most 2 decimals: ${text}`);
  const paise = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -paise : paise;
}

/** Paise to the decimal string PostgreSQL's numeric takes ("499.50"). */
export function paiseToDecimalString(paise: number): string {
  const sign = paise < 0 ? '-' : '';
  const abs = Math.abs(paise);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Paise to a JSON number of rupees: division happens once, at the edge, never summed again. One
 * division of a whole number of paise is exact enough: IEEE division rounds the true quotient to
 * the nearest double, which is the double that parsing its 2-decimal string gives too.
 */
export function paiseToRupees(paise: number): number {
  return paise / 100;
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value) || value < 0) return 'x';
  // toString gives "1e-7" for tiny values; such amounts are invalid anyway.
  return value.toString();
}
