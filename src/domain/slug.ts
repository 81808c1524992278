// Store slugs: the public part of a store's link, so ASCII, lowercase and never a path the
// API itself serves.
import { randomBytes } from 'node:crypto';
import slugify from 'slugify';

export const MAX_SLUG_LENGTH = 60;
/** What every slug looks like: lower-case ASCII words joined by single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Words that are routes of this service (or soon may be), never a store's slug. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'api',
  'docs',
  'uploads',
  'healthz',
  'readyz',
  'openapi',
  'openapi-json',
  'static',
  'assets',
  'admin',
  'seller',
  'sellers',
  'customer',
  'customers',
  'store',
  'stores',
  'cart',
  'carts',
  'order',
  'orders',
  'login',
  'logout',
  'auth',
  'account',
  'accounts',
  'favicon-ico',
  'robots-txt',
  'sitemap-xml',
  'well-known',
  'health',
  'status',
  'metrics',
  'www',
  'help',
  'support',
]);

/** The slug a name asks for, before collisions. Never empty, never reserved. */
export function baseSlug(name: string): string {
  const slug = slugify(name, { lower: true, strict: true, trim: true })
    .replace(/-+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
  // Names of only emoji or non-Latin script slugify to nothing; they still need a link.
  if (slug === '') return 'store';
  return RESERVED_SLUGS.has(slug) ? `${slug}-store` : slug;
}

/** The n-th candidate for a taken base: base-2, base-3, ... (trimmed to stay within the limit). */
export function numberedSlug(base: string, n: number): string {
  const suffix = `-${n}`;
  return `${base.slice(0, MAX_SLUG_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/** A random-suffixed candidate, the last resort when numbered ones keep colliding. */
export function randomSlug(base: string): string {
  const suffix = `-${randomBytes(4).toString('hex')}`;
  return `${base.slice(0, MAX_SLUG_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
}
