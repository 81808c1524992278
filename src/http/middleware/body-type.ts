import type { RequestHandler } from 'express';
import { UnsupportedMediaTypeError } from '../../domain/errors';

export type BodyType = 'json' | 'multipart';

const MIME: Record<BodyType, string> = { json: 'application/json', multipart: 'multipart/form-data' };

/** A request that carries a body must say it is one of the types the route reads, else 415. */
export function requireBodyType(allowed: BodyType[]): RequestHandler {
  return (req, _res, next) => {
    const hasBody = req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0;
    if (!hasBody) return next();
    if (!allowed.some((t) => req.is(MIME[t]))) {
      throw new UnsupportedMediaTypeError(`Send the body as ${allowed.map((t) => MIME[t]).join(' or ')}.`);
    }
    next();
  };
}
