import { z } from 'zod';
import { issueMessage, unlessMissing } from '../../src/schemas/messages';

/** The one message a value gets from a schema, worded by issueMessage alone (not the process-wide config). */
function messageFor(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value, { error: issueMessage });
  return result.success ? undefined : result.error.issues.map((i) => i.message).join('; ');
}

describe('validation messages in the API wording', () => {
  test.each<[string, z.ZodType, unknown, string]>([
    ['a missing field', z.object({ name: z.string() }), {}, 'is required'],
    ['a missing field of a union', z.object({ n: z.union([z.number(), z.string()]) }), {}, 'is required'],
    ['a string of the wrong type', z.string(), 5, 'must be a string'],
    ['a number of the wrong type', z.number(), '5', 'must be a number'],
    ['a fraction for a whole number', z.number().int(), 1.5, 'must be a whole number'],
    ['a boolean of the wrong type', z.boolean(), 'yes', 'must be true or false'],
    ['an array for an object', z.object({}), [], 'must be an object'],
    ['an object for an array', z.array(z.string()), {}, 'must be an array'],
    ['a short string', z.string().min(2), 'a', 'must be at least 2 characters'],
    ['a one-character minimum', z.string().min(1), '', 'must be at least 1 character'],
    ['a long string', z.string().max(3), 'abcd', 'must be at most 3 characters'],
    ['a small number', z.number().min(1), 0, 'must be at least 1'],
    ['a number at an exclusive bound', z.number().gt(0), 0, 'must be more than 0'],
    ['a big number', z.number().max(99), 100, 'must be at most 99'],
    ['a number past an exclusive bound', z.number().lt(10), 10, 'must be less than 10'],
    ['a long list', z.array(z.number()).max(1), [1, 2], 'must have at most 1 item'],
    ['a short list', z.array(z.number()).min(2), [1], 'must have at least 2 items'],
    ['an unknown option', z.enum(['PENDING', 'SHIPPED']), 'LOST', 'must be one of PENDING, SHIPPED'],
    ['a wrong literal', z.literal('yes'), 'no', 'must be "yes"'],
    ['a string off its pattern', z.string().regex(/^\d+$/), 'abc', 'is not in the expected format'],
    ['a malformed uuid', z.uuid(), 'nope', 'must be a valid uuid'],
    ['a number off its step', z.number().multipleOf(5), 7, 'must be a multiple of 5'],
  ])('%s', (_label, schema, value, message) => {
    expect(messageFor(schema, value)).toBe(message);
  });

  test('a message the schema gives itself outranks the wording', () => {
    expect(messageFor(z.string().min(2, 'too short, try again'), 'a')).toBe('too short, try again');
  });

  test('unlessMissing keeps a schema\'s message for wrong values and "is required" for missing ones', () => {
    const qty = z.object({ qty: z.number({ error: unlessMissing('must be a whole number from 1 to 99') }) });
    expect(messageFor(qty, { qty: 'two' })).toBe('must be a whole number from 1 to 99');
    expect(messageFor(qty, {})).toBe('is required');
  });
});
