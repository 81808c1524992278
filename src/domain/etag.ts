import { createHash } from 'node:crypto';

/** A strong ETag for a representation's bytes. */
export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}
