import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/** The operational endpoints, which live outside the validated /api/v1 routers. */
export function registerOperations(registry: OpenAPIRegistry): void {
  const tags = ['Operations'];
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    tags,
    summary: 'Liveness: 200 while the process runs',
    responses: {
      200: {
        description: 'Alive',
        content: { 'application/json': { schema: z.object({ status: z.literal('ok') }).meta({ example: { status: 'ok' } }) } },
      },
    },
  });
  const readiness = z
    .object({ status: z.enum(['ready', 'unavailable']), postgres: z.enum(['up', 'down']), redis: z.enum(['up', 'down']) })
    .meta({ id: 'Readiness', example: { status: 'ready', postgres: 'up', redis: 'up' } });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    tags,
    summary: 'Readiness: 200 when PostgreSQL and Redis answer',
    responses: {
      200: { description: 'Ready', content: { 'application/json': { schema: readiness } } },
      503: { description: 'A backing service does not answer', content: { 'application/json': { schema: readiness } } },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    tags,
    summary: 'This OpenAPI 3.1 document',
    responses: {
      200: {
        description: 'The document',
        content: {
          'application/json': {
            schema: z
              .object({ openapi: z.string() })
              .passthrough()
              .meta({ example: { openapi: '3.1.0', info: { title: 'Dukaan API', version: '1.0.0' }, paths: {} } }),
          },
        },
      },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/docs',
    tags,
    summary: 'Interactive API documentation',
    responses: {
      200: {
        description: 'An HTML page',
        content: { 'text/html': { schema: z.string().meta({ example: '<!DOCTYPE html><html>…swagger-ui…</html>' }) } },
      },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/uploads/{name}',
    tags,
    summary: 'A product image',
    request: { params: z.object({ name: z.string().meta({ example: '3f2a9c0e4b1d4e6f8a7b6c5d4e3f2a1b.png' }) }) },
    responses: {
      200: {
        description: 'The image (JPEG, PNG or WebP), cached for a year',
        content: { 'image/*': { schema: z.string().meta({ format: 'binary' }) } },
      },
      404: { description: 'No such image' },
    },
  });
}
