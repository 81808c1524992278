// How the storefront writes things for people. Pure, unit-tested.

const RUPEES = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });

/** Rupees with Indian digit grouping: 123456.75 → "₹1,23,456.75" (the lakh and crore grouping buyers read). */
export function rupees(amount: number): string {
  return RUPEES.format(amount);
}

/** The amount in `product:price:amount`: a plain decimal with two places ("129.50"). */
export function priceAmount(amount: number): string {
  return amount.toFixed(2);
}

/** Text cut to at most `max` characters (whole code points) on a word boundary where one is near, for meta descriptions. */
export function excerpt(text: string, max = 160): string {
  const folded = text.replace(/\s+/gu, ' ').trim();
  const chars = [...folded];
  if (chars.length <= max) return folded;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
