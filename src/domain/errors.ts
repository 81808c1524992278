// The one error family services throw. The HTTP layer maps each to problem+json in one place
// (src/http/problem.ts); services never think in status codes beyond choosing a kind.

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    /** Short, stable slug for the problem `type` URI. */
    readonly kind: string,
    message: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldError[], message = 'The request is not valid.') {
    super(400, 'validation-error', message, errors);
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, kind = 'bad-request') {
    super(400, kind, message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication is required.', kind = 'unauthorized') {
    super(401, kind, message, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'This token may not do that.', kind = 'forbidden') {
    super(403, kind, message);
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'Resource') {
    super(404, 'not-found', `${what} not found.`);
  }
}

export class MethodNotAllowedError extends AppError {
  constructor(method: string, allow: string) {
    super(405, 'method-not-allowed', `${method} is not allowed here. Allowed: ${allow}.`, undefined, { Allow: allow });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, kind = 'conflict') {
    super(409, kind, message);
  }
}

/** Something that existed and never will again: a closed store (its link, catalog, carts). */
export class GoneError extends AppError {
  constructor(message: string, kind = 'gone') {
    super(410, kind, message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message = 'The request body is too large.') {
    super(413, 'payload-too-large', message);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message = 'Unsupported media type.') {
    super(415, 'unsupported-media-type', message);
  }
}

export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many requests.',
  ) {
    super(429, 'rate-limited', message, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message = 'A backing service is unavailable. Try again shortly.') {
    super(503, 'service-unavailable', message);
  }
}
