// Builds the Express app from its dependencies. It never listens and has no side effects on
// import: tests build it with supertest, server.ts serves it.
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { type Express } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Container } from './container';
import { ApiRouter } from './http/api-router';
import { errorHandler, notFound } from './http/middleware/error-handler';
import { requestId } from './http/middleware/request-id';
import { buildOpenApiDocument } from './http/openapi/document';
import { registerOperations } from './http/openapi/operations';
import { opsRouter } from './http/routers/ops.router';
import { mountCarts } from './http/routers/carts.router';
import { mountCustomer } from './http/routers/customer.router';
import { mountOrders } from './http/routers/orders.router';
import { mountProducts } from './http/routers/products.router';
import { mountSellerAuth } from './http/routers/seller-auth.router';
import { mountSessions } from './http/routers/sessions.router';
import { mountStaff } from './http/routers/staff.router';
import { mountEvents } from './http/routers/events.router';
import { mountWebhooks } from './http/routers/webhooks.router';
import { mountSellerOrders } from './http/routers/seller-orders.router';
import { mountStorefront } from './http/routers/storefront.router';
import { mountStores } from './http/routers/stores.router';
import { uploadsRouter } from './http/routers/uploads.router';
import { pagesRouter } from './web/pages.router';
import { PageRenderer } from './web/renderer';
import { StorefrontPages } from './web/storefront-pages';

export const API_BASE = '/api/v1';

export function createApp(container: Container): Express {
  const { config, logger } = container;
  const app = express();
  app.disable('x-powered-by');
  // Express would hash every answer it sends (a SHA-1 per response, POSTs included) to offer an
  // ETag nobody asks for. The one answer worth revalidating, the catalog, sets its own ETag from
  // the cache (http/conditional.ts).
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  // Strict routing off, case-sensitive on: /api/v1/Stores is not /api/v1/stores.
  app.set('case sensitive routing', true);

  app.use(requestId());
  // Images are loaded by storefronts on other origins, so resources may be embedded cross-origin.
  // No `upgrade-insecure-requests`: served over plain HTTP anywhere but localhost (a staging host,
  // a laptop on the LAN), it made browsers fetch the docs page's scripts over HTTPS and show a
  // blank page. Nothing we serve links to http:// resources, so it has nothing to upgrade.
  app.use(
    helmet({
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  // Closed unless CORS_ORIGINS lists origins: a browser page elsewhere cannot call the API.
  if (config.corsOrigins.length > 0) {
    app.use(
      cors({
        origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
        allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match', 'X-Request-Id'],
        exposedHeaders: ['X-Request-Id', 'ETag', 'Retry-After'],
        maxAge: 600,
      }),
    );
  }
  // One line per request at info. Below that level nothing would be written, but pino-http would
  // still serialize every request into a child logger, so it is left out; errors are logged by the
  // error handler either way.
  if (logger.isLevelEnabled('info')) {
    app.use(
      pinoHttp({
        logger,
        genReqId: (req) => (req as express.Request).id,
        customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
        serializers: {
          req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
      }),
    );
  }

  const registry = new OpenAPIRegistry();
  registerOperations(registry);
  const api = new ApiRouter(registry, container.services.sessions, container.services.storeAccess, API_BASE);
  mountSellerAuth(api, container);
  mountSessions(api, container);
  mountStores(api, container);
  mountProducts(api, container);
  mountSellerOrders(api, container);
  mountStaff(api, container);
  mountEvents(api, container);
  mountWebhooks(api, container);
  mountStorefront(api, container);
  mountCarts(api, container);
  mountCustomer(api, container);
  mountOrders(api, container);
  api.answerOtherMethods();

  let document: object | undefined;
  const openApiDocument = () => (document ??= buildOpenApiDocument(registry, config.publicBaseUrl));

  app.use(opsRouter(container.services.health, openApiDocument));
  app.use('/uploads', uploadsRouter(container.images));
  // inflate: false refuses compressed request bodies (415): no client of ours sends them, and it
  // closes the door on decompression bombs.
  app.use(API_BASE, express.json({ limit: '100kb', strict: true, inflate: false }), api.router);
  // The store link: the storefront's pages (HTML), beside the JSON API and after it.
  const pages = new StorefrontPages(container.services.catalog, new PageRenderer(), container.presenter, config.publicBaseUrl);
  app.use(pagesRouter(pages, logger));
  app.use(notFound());
  app.use(errorHandler(logger));
  return app;
}
