import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { NotFoundError } from '../../domain/errors';
import { toProblem } from '../problem';

export function notFound(): RequestHandler {
  return (req, _res, next) => next(new NotFoundError(`Route ${req.method} ${req.path}`));
}

/** The only error middleware: maps with toProblem, logs what is ours to fix (>= 500). */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const problem = toProblem(err);
    if (problem.status >= 500) {
      logger.error({ err, requestId: req.id, method: req.method, url: req.originalUrl }, 'request failed');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(problem.status).set(problem.headers).type('application/problem+json');
    res.send(JSON.stringify({ ...problem.body, instance: req.originalUrl.slice(0, 2048) }));
  };
}
