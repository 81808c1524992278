import { Router, type Request, type Response } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { HealthService } from '../../services/health.service';

/** Probes and docs: outside /api/v1 and outside the JSON body parsers. */
export function opsRouter(health: HealthService, openApiDocument: () => object): Router {
  const router = Router();
  router.get('/healthz', (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req: Request, res: Response) => {
    const readiness = await health.readiness();
    res.status(readiness.ready ? 200 : 503).json({ status: readiness.ready ? 'ready' : 'unavailable', ...readiness.checks });
  });
  router.get('/openapi.json', (_req: Request, res: Response) => {
    res.json(openApiDocument());
  });
  // Served at /docs itself (no redirect); the page's "./" asset paths resolve under /docs/ thanks
  // to <base>. Scripts are files, not inline, so helmet's default CSP allows them.
  const page = swaggerUi
    .generateHTML(undefined, { swaggerOptions: { url: '/openapi.json' }, customSiteTitle: 'Dukaan API docs' })
    .replace('<head>', '<head><base href="/docs/">');
  router.get(['/docs', '/docs/'], (_req: Request, res: Response) => {
    res.type('html').send(page);
  });
  router.use('/docs', swaggerUi.serve);
  return router;
}
