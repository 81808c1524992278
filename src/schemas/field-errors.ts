import type { ZodError } from 'zod';
import type { FieldError } from '../domain/errors';

/** zod's issues as the contract's `errors: [{ path, message }]`. */
export function zodIssuesToFieldErrors(error: ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    // "Unrecognized key(s)" sits on the object; name each unknown field instead.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: 'is not a known field' }));
    }
    return [{ path: base.join('.'), message: issue.message }];
  });
}
