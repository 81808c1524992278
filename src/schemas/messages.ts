// The API's wording for zod's issues. zod's own English ("Invalid input: expected string, received
// undefined", "Too small: expected number to be >=1") names its internals, not the field's rule;
// these read like the messages the schemas write themselves ("must be at most 200 characters").
// A message a schema gives outranks these, so they only fill in where a schema says nothing.
import type { z } from 'zod';

type Issue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function plural(n: number | bigint, unit: string): string {
  return `${n} ${unit}${n === 1 || n === 1n ? '' : 's'}`;
}

function bound(issue: { origin: string; inclusive?: boolean }, value: number | bigint, atLeast: boolean): string {
  if (issue.origin === 'string') return `must be ${atLeast ? 'at least' : 'at most'} ${plural(value, 'character')}`;
  if (issue.origin === 'array' || issue.origin === 'set') return `must have ${atLeast ? 'at least' : 'at most'} ${plural(value, 'item')}`;
  if (issue.inclusive === false) return `must be ${atLeast ? 'more' : 'less'} than ${value}`;
  return `must be ${atLeast ? 'at least' : 'at most'} ${value}`;
}

/** The message for an issue no schema worded, or undefined to keep zod's. */
export function issueMessage(issue: Issue): string | undefined {
  if (issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) return 'is required';
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return bound(issue, issue.minimum, true);
    case 'too_big':
      return bound(issue, issue.maximum, false);
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'is not in the expected format' : `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    default:
      return undefined;
  }
}

/**
 * A schema's own message for a wrong value that still leaves a missing one to say "is required"
 * (a schema's message otherwise outranks the wording above for every issue it raises).
 */
export function unlessMissing(message: string) {
  return (issue: { input?: unknown }): string | undefined => (issue.input === undefined ? undefined : message);
}
