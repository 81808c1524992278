// The one place where anything thrown becomes an HTTP answer (RFC 9457 problem details).
// Pure, so it is unit-tested on its own: known errors keep their meaning, unknown ones become a
// 500 whose body says nothing about the internals.
import { STATUS_CODES } from 'node:http';
import { MulterError } from 'multer';
import jwt from 'jsonwebtoken';
import { ZodError } from 'zod';
import { AppError, type FieldError } from '../domain/errors';
import { zodIssuesToFieldErrors } from '../schemas/field-errors';
import { isForeignKeyViolation } from '../services/prisma-errors';

export interface Problem {
  status: number;
  headers: Record<string, string>;
  body: {
    type: string;
    title: string;
    status: number;
    detail: string;
    instance?: string;
    errors?: FieldError[];
  };
}

const TYPE_PREFIX = 'urn:dukaan:problem:';
/** An answer lists at most this many field errors: a hostile body of 10,000 bad fields gets a short answer. */
export const MAX_FIELD_ERRORS = 20;

function make(status: number, kind: string, detail: string, extra: Partial<Problem> & { errors?: FieldError[] } = {}): Problem {
  const errors = extra.errors;
  const listed =
    errors && errors.length > MAX_FIELD_ERRORS ? `${detail} The first ${MAX_FIELD_ERRORS} of ${errors.length} errors are listed.` : detail;
  const body: Problem['body'] = { type: `${TYPE_PREFIX}${kind}`, title: STATUS_CODES[status] ?? 'Error', status, detail: listed };
  if (errors) body.errors = errors.slice(0, MAX_FIELD_ERRORS);
  return { status, headers: extra.headers ?? {}, body };
}

/** body-parser's and raw-body's errors carry a `type` and a `status`. */
interface HttpParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
}

const UNAVAILABLE_MESSAGES = new RegExp(
  [
    // ioredis
    'Connection is closed',
    'Command timed out',
    "Stream isn't writeable",
    'Reached the max retries per request limit',
    // node-postgres and Prisma
    'connect ETIMEDOUT',
    'Connection terminated',
    'timeout exceeded when trying to connect',
    'Query read timeout',
    "Can't reach database server",
    'Client has encountered a connection error',
    'the database system is (starting up|shutting down)',
  ].join('|'),
  'i',
);

/** Errors that say a backing service cannot be reached, whichever client raised them. */
export function isUnavailable(err: unknown): boolean {
  // Any object with an error's fields, not `instanceof Error`: errors made by Node's own modules
  // (a refused connection in node-postgres) belong to another realm when code runs in a VM
  // context, as under the test runner.
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: string; name?: string; message?: string; cause?: unknown; kind?: string };
  const codes = [
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENOTFOUND',
    'EPIPE',
    'P1001',
    'P1002',
    'P1017',
    'P2024',
    'P2028',
  ];
  if (e.code && codes.includes(e.code)) return true;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  if (e.kind === 'DatabaseNotReachable' || e.kind === 'SocketTimeout') return true;
  return e.cause !== undefined && e.cause !== err && isUnavailable(e.cause);
}

export function toProblem(err: unknown): Problem {
  if (err instanceof AppError) {
    return make(err.status, err.kind, err.message, { errors: err.errors, headers: err.headers });
  }
  if (err instanceof ZodError) {
    return make(400, 'validation-error', 'The request is not valid.', { errors: zodIssuesToFieldErrors(err) });
  }
  if (err instanceof jwt.JsonWebTokenError) {
    // TokenExpiredError and NotBeforeError are subclasses: all mean "not a usable token".
    return make(401, 'unauthorized', 'The token is missing, expired or invalid.', { headers: { 'WWW-Authenticate': 'Bearer' } });
  }
  if (err instanceof MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return make(413, 'payload-too-large', 'The file is too large.');
    if (err.code === 'LIMIT_FIELD_VALUE' || err.code === 'LIMIT_PART_COUNT' || err.code === 'LIMIT_FIELD_COUNT') {
      return make(413, 'payload-too-large', 'The form has too many or too large fields.');
    }
    const field = err.field ? ` (${err.field})` : '';
    return make(400, 'bad-multipart', `The form could not be read: ${err.message}${field}.`);
  }
  if (isForeignKeyViolation(err)) return make(409, 'referenced-resource-gone', 'Something this request names was deleted meanwhile.');
  const prismaCode = (err as { code?: unknown } | null)?.code;
  if (err instanceof Error && typeof prismaCode === 'string' && /^P\d{4}$/.test(prismaCode)) {
    if (prismaCode === 'P2002') return make(409, 'conflict', 'A resource with these values already exists.');
    if (prismaCode === 'P2025') return make(404, 'not-found', 'Resource not found.');
    // A write conflict or deadlock: nothing was written, the same request may simply be retried.
    if (prismaCode === 'P2034') return make(409, 'write-conflict', 'The request collided with another change. Retry it.');
  }
  if (isUnavailable(err)) {
    return make(503, 'service-unavailable', 'A backing service is unavailable. Try again shortly.', { headers: { 'Retry-After': '5' } });
  }
  // The router cannot decode a percent-escape in the path ("/carts/%E0%A4%A").
  if (err instanceof URIError) return make(400, 'malformed-path', 'The path holds a malformed percent-escape.');
  // body-parser, raw-body, the router and http-errors mark client errors with a 4xx status.
  const parser = err as HttpParserError | null;
  const status = parser ? (parser.status ?? parser.statusCode) : undefined;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (parser!.type === 'entity.parse.failed') return make(400, 'malformed-json', 'The body is not valid JSON.');
    if (parser!.type === 'entity.too.large' || status === 413) return make(413, 'payload-too-large', 'The request body is too large.');
    if (parser!.type === 'encoding.unsupported' || parser!.type === 'charset.unsupported' || status === 415) {
      return make(415, 'unsupported-media-type', 'The body uses an unsupported content encoding or charset.');
    }
    return make(status, 'bad-request', 'The request could not be read.');
  }
  return make(500, 'internal', 'Something went wrong on our side. It has been logged.');
}
