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
  // The page first: swagger-ui's static handler would otherwise redirect /docs to /docs/.
  router.get('/docs', swaggerUi.setup(undefined, { swaggerOptions: { url: '/openapi.json' }, customSiteTitle: 'Dukaan API docs' }));
  router.use('/docs', swaggerUi.serve);
  return router;
}
