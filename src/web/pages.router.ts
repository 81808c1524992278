import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { RESERVED_SLUGS } from '../domain/slug';
import { NotFoundError } from '../domain/errors';
import { sendConditional } from '../http/conditional';
import { toProblem } from '../http/problem';
import { id } from '../schemas/common';
import { storeSlug } from '../schemas/storefront.schema';
import { ASSETS_DIR } from './renderer';
import type { RenderedPage, ShellPage, StorefrontPages } from './storefront-pages';

/**
 * What a page may load: its own origin's script, stylesheet and images, and nothing else (no
 * inline script, no third-party origin), so a seller's text that slipped past escaping still
 * could not run.
 */
const PAGE_CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HTML = 'text/html; charset=utf-8';
const slug = z.object({ slug: storeSlug });
const slugAndId = z.object({ slug: storeSlug, id });

/**
 * The storefront at the store link: HTML only, wired like the JSON routers (parse, one call,
 * respond). A path whose first segment cannot be a store's slug is not a page: it falls through
 * to the JSON 404. A well-formed one that names no store, product or order is an HTML 404.
 */
export function pagesRouter(pages: StorefrontPages, logger: Logger): Router {
  const router = Router();
  router.use('/assets', assets());

  router.param('slug', (_req, _res, next, value: string) => {
    const parsed = slug.safeParse({ slug: value });
    if (!parsed.success || RESERVED_SLUGS.has(parsed.data.slug)) return next('router');
    next();
  });

  const page = (make: (req: Request) => Promise<RenderedPage>) => async (req: Request, res: Response) => {
    res.setHeader('Content-Security-Policy', PAGE_CSP);
    const { html, etag } = await make(req);
    sendConditional(req, res, html, etag, HTML);
  };
  const withId = (req: Request) => {
    const parsed = slugAndId.safeParse({ slug: req.params.slug, id: req.params.id });
    if (!parsed.success) throw new NotFoundError('Page');
    return parsed.data;
  };
  const slugOf = (req: Request) => slug.parse({ slug: req.params.slug }).slug;
  const shell = (kind: ShellPage) => page((req) => pages.shell(slugOf(req), kind));

  router.get(
    '/:slug',
    page((req) => pages.store(slugOf(req))),
  );
  router.get(
    '/:slug/products/:id',
    page((req) => {
      const { slug: s, id: productId } = withId(req);
      return pages.product(s, productId);
    }),
  );
  router.get('/:slug/cart', shell('cart'));
  router.get('/:slug/checkout', shell('checkout'));
  router.get(
    '/:slug/orders/:id',
    page((req) => pages.shell(withId(req).slug, 'order')),
  );
  router.use(pageErrors(pages, logger));
  return router;
}

/** The storefront's script and stylesheet: linked with a version of their content, so kept a year. */
function assets(): Router {
  const router = Router();
  router.use(
    express.static(ASSETS_DIR, { index: false, dotfiles: 'deny', redirect: false, immutable: true, maxAge: '365d', fallthrough: true }),
  );
  return router;
}

/** Errors of a page, as a page: the status the API would answer (toProblem decides it), in words for people. */
function pageErrors(pages: StorefrontPages, logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const { status } = toProblem(err);
    if (status >= 500) logger.error({ err, requestId: req.id, url: req.originalUrl }, 'page failed');
    const message =
      status === 404
        ? 'There is no store or product at this address. Check the link you were sent.'
        : status === 410
          ? 'This store no longer takes orders.'
          : 'Please try again in a moment.';
    res.status(status).setHeader('Content-Security-Policy', PAGE_CSP);
    res.setHeader('Cache-Control', 'no-store');
    res.type(HTML).send(pages.error(status, message));
  };
}
