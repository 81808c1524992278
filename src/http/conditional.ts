import type { Request, Response } from 'express';
import { etagOf } from '../domain/etag';

/** RFC 9110 §13.1.2: If-None-Match holds "*" or a list of (possibly weak) tags, compared weakly. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}

/**
 * Sends a body with an ETag and answers a matching If-None-Match with 304 itself. Express's own
 * check would refuse 304 whenever the request says `Cache-Control: no-cache` (Postman always
 * does), but an origin server evaluates conditional requests whatever the request's caching
 * directives: that is how a client revalidates.
 */
export function sendConditional(req: Request, res: Response, body: string | Buffer, etag: string, type: string): void {
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'no-cache');
  if (matchesIfNoneMatch(req.get('if-none-match'), etag)) {
    res.status(304).end();
    return;
  }
  res.type(type).send(body);
}

export function sendConditionalJson(req: Request, res: Response, json: string | Buffer, etag = etagOf(json)): void {
  sendConditional(req, res, json, etag, 'application/json');
}
