import { MulterError } from 'multer';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from '../../src/domain/errors';
import { Prisma } from '../../src/generated/prisma/client';
import { toProblem } from '../../src/http/problem';

describe('toProblem', () => {
  test('app errors keep their status, kind and field errors', () => {
    const p = toProblem(new ValidationError([{ path: 'salePrice', message: 'must not be more than mrp' }]));
    expect(p.status).toBe(400);
    expect(p.body).toMatchObject({
      type: 'urn:dukaan:problem:validation-error',
      title: 'Bad Request',
      status: 400,
      errors: [{ path: 'salePrice' }],
    });
    expect(toProblem(new NotFoundError('Store')).body.detail).toBe('Store not found.');
    expect(toProblem(new ConflictError('Out of stock')).status).toBe(409);
  });

  test('a rate limit carries Retry-After', () => {
    expect(toProblem(new RateLimitedError(42)).headers).toEqual({ 'Retry-After': '42' });
  });

  test('zod errors are 400 with paths', () => {
    const err = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } }).error!;
    expect(toProblem(err)).toMatchObject({ status: 400, body: { errors: [{ path: 'a.b' }] } });
  });

  test('JWT failures, expired ones included, are 401 with a Bearer challenge', () => {
    expect(toProblem(new jwt.TokenExpiredError('jwt expired', new Date())).status).toBe(401);
    expect(toProblem(new jwt.JsonWebTokenError('invalid signature')).headers['WWW-Authenticate']).toBe('Bearer');
  });

  test('multer limits are 413, other multer errors 400', () => {
    expect(toProblem(new MulterError('LIMIT_FILE_SIZE', 'image')).status).toBe(413);
    expect(toProblem(new MulterError('LIMIT_UNEXPECTED_FILE', 'photo')).status).toBe(400);
  });

  test('body-parser errors: bad JSON 400, too large 413, bad charset 415', () => {
    expect(toProblem(Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 })).status).toBe(400);
    expect(toProblem(Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413 })).status).toBe(413);
    expect(toProblem(Object.assign(new Error('charset'), { type: 'charset.unsupported', status: 415 })).status).toBe(415);
  });

  test('a malformed percent-escape in the path is 400; any http-errors 4xx keeps its status', () => {
    expect(toProblem(new URIError("Failed to decode param '%E0%A4%A'")).status).toBe(400);
    expect(toProblem(Object.assign(new Error('Not Acceptable'), { status: 406, expose: true })).status).toBe(406);
    expect(toProblem(Object.assign(new Error('x'), { statusCode: 413 })).status).toBe(413);
  });

  test("Prisma's unique and not-found errors are 409 and 404", () => {
    const known = (code: string) => new Prisma.PrismaClientKnownRequestError('x', { code, clientVersion: '7' });
    expect(toProblem(known('P2002')).status).toBe(409);
    expect(toProblem(known('P2025')).status).toBe(404);
    expect(toProblem(known('P2034')).status).toBe(409);
    expect(toProblem(known('P2028')).status).toBe(503);
  });

  test('unreachable services are 503', () => {
    expect(toProblem(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })).status).toBe(503);
    expect(toProblem(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) })).status).toBe(503);
    for (const message of [
      "Stream isn't writeable and enableOfflineQueue options is false",
      'Command timed out',
      'Query read timeout',
      'Connection terminated unexpectedly',
    ]) {
      expect(toProblem(new Error(message)).status).toBe(503);
    }
  });

  test('when an unknown error is thrown, then it is a 500 that reveals nothing', () => {
    const p = toProblem(new Error('SELECT * FROM secrets failed at /srv/app.ts:12'));
    expect(p.status).toBe(500);
    expect(JSON.stringify(p.body)).not.toMatch(/SELECT|secrets|app\.ts/);
    expect(toProblem('a string').status).toBe(500);
    expect(toProblem(null).status).toBe(500);
    // An object that looks like a parser error but has no status is still unknown.
    expect(toProblem({ type: 'entity.parse.failed' }).status).toBe(500);
  });
});
