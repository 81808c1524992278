// Building blocks every request schema uses, so the contract's text and money rules are stated once.
import { z } from 'zod';
import { MAX_RUPEES, rupeesToPaise } from '../domain/money';
import { issueMessage, unlessMissing } from './messages';

// Every schema is built from here, so this is where the API's wording replaces zod's defaults
// (process-wide: zod keeps one configuration).
z.config({ customError: issueMessage });

const NUL = '\u0000';

/** Trimmed text of min..max characters; a NUL byte anywhere is refused (PostgreSQL cannot store it). */
export function text(min: number, max: number) {
  return z
    .string()
    .refine((s) => !s.includes(NUL), 'must not contain NUL bytes')
    .transform((s) => s.trim())
    .pipe(z.string().min(min).max(max));
}

const AMOUNT = 'must be an amount in rupees with at most 2 decimals';
const AMOUNT_RANGE = `must be more than 0 and at most ${MAX_RUPEES}`;

/** Rupees with at most 2 decimals, 0 < value <= 10,000,000, as paise. Form fields come as strings. */
export const money = z
  .union([z.number(), z.string().max(32, AMOUNT)], { error: unlessMissing(AMOUNT) })
  .transform((value, ctx) => {
    const paise = rupeesToPaise(value);
    if (paise === null) {
      // -1 or 1e12 is a number, just not an amount we take: say which bound it misses.
      const n = typeof value === 'number' ? value : Number(value.trim() || Number.NaN);
      const outOfRange = Number.isFinite(n) && (n <= 0 || n > MAX_RUPEES);
      ctx.addIssue({ code: 'custom', message: outOfRange ? AMOUNT_RANGE : AMOUNT });
      return z.NEVER;
    }
    if (paise <= 0 || paise > MAX_RUPEES * 100) {
      ctx.addIssue({ code: 'custom', message: AMOUNT_RANGE });
      return z.NEVER;
    }
    return paise;
  })
  .meta({ type: 'number', description: 'Rupees, at most 2 decimals', example: 499.5 });

/** A whole number from min to max, with one message for every way a value can miss it. */
export function intRange(min: number, max: number) {
  const range = `must be a whole number from ${min} to ${max}`;
  return z
    .number({ error: unlessMissing(range) })
    .int(range)
    .min(min, range)
    .max(max, range);
}

/** A whole number from min to max, which may arrive as text that `digits` accepts. */
function wholeNumber(min: number, max: number, digits: RegExp) {
  return z.preprocess((v) => (typeof v === 'string' && digits.test(v) ? Number(v) : v), intRange(min, max));
}

/** A whole number that may arrive as a form field's string (signed, spaces around it allowed). */
export function formInt(min: number, max: number) {
  return wholeNumber(min, max, /^\s*-?\d{1,12}\s*$/);
}

/** true/false that may arrive as a form field's or query string's "true"/"false". */
export const formBoolean = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

/** Mobile numbers are checked by the service (it knows the configured default region). */
export const mobileInput = z
  .string()
  .max(32)
  .refine((s) => !s.includes(NUL), 'must not contain NUL bytes')
  .meta({ description: 'A mobile number: 9876543210, +919876543210, 09876543210 or +91 98765 43210', example: '+919876543210' });

/** An id in a path. Ids are UUIDs; anything else names nothing, so it answers 404, not 400. */
export const id = z.uuid().meta({ description: 'Opaque id', example: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5e' });

/**
 * A whole number in a query string: decimal digits only. Coercing with Number() would take `0x14`,
 * `1e1` and ` 5` as well, and answer `?limit=abc` with "received NaN".
 */
export function queryInt(min: number, max: number) {
  return wholeNumber(min, max, /^\d{1,16}$/);
}

export const pagination = z.object({
  page: queryInt(1, 1_000_000).default(1),
  limit: queryInt(1, 100).default(20),
});
export type Pagination = z.infer<typeof pagination>;

/** The contract's list envelope; the example shows one item (the item schema's own example). */
export function listOf<T extends z.ZodType>(item: T) {
  const itemExample = (z.globalRegistry.get(item) as { example?: unknown } | undefined)?.example;
  return z
    .object({
      items: z.array(item),
      page: z.number().int(),
      limit: z.number().int(),
      total: z.number().int(),
    })
    .meta(itemExample === undefined ? {} : { example: { items: [itemExample], page: 1, limit: 20, total: 1 } });
}

export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const timestamp = z.string().meta({ format: 'date-time', example: '2026-11-21T10:00:00.000Z' });
