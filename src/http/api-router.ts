// Every route is declared once: path, auth, request schemas, responses and handler. The same
// declaration mounts the Express route (with validation) and registers the OpenAPI operation,
// so the documentation cannot drift from what the code accepts.
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { MethodNotAllowedError, NotFoundError, ValidationError } from '../domain/errors';
import type { StoreAccess, StoreAccessService, StoreNeed } from '../services/store-access';
import type { Claims } from '../services/token.service';
import { requireRole, type Audience, type Authenticator } from './middleware/auth';
import { requireBodyType, type BodyType } from './middleware/body-type';
import { problem } from '../schemas/common';
import { zodIssuesToFieldErrors } from '../schemas/field-errors';

type AnyObject = z.ZodType<Record<string, unknown>>;

export interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, H extends AnyObject = z.ZodObject<{}>> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Express-style path relative to the router's base ("/seller/stores/:storeId"). */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth?: Audience;
  /**
   * For routes under /seller/stores/:storeId: what the caller needs in that store. The store
   * access seam decides it before the handler runs (404 not a member, 403 without the permission).
   */
  store?: StoreNeed;
  params?: P;
  query?: Q;
  body?: B;
  /** Request headers the handler reads (lower-case names). */
  headers?: H;
  /** Defaults to ['json'] when there is a body. */
  bodyTypes?: BodyType[];
  /** Multer (or similar) middleware run before validation, for multipart routes. */
  before?: RequestHandler[];
  /** The multipart schema shown in the docs (files included). */
  multipartDoc?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /** Documented error statuses besides the ones implied by auth and validation. */
  errors?: number[];
}

export interface Input<P, Q, B, H = unknown> {
  params: P;
  query: Q;
  body: B;
  headers: H;
  auth: Claims;
  /** The caller's standing in the store of the path (routes declared with `store`). */
  access: StoreAccess;
  req: Request;
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed or invalid input',
  401: 'Missing, expired or forged token',
  403: 'Token of the wrong role, or a store member without the permission this needs',
  404: 'Not found (also for what belongs to someone else)',
  409: 'Business conflict',
  413: 'Body or file too large',
  415: 'Unsupported media type',
  429: 'Rate limited; see Retry-After',
  503: 'A backing service is unavailable',
};

export class ApiRouter {
  /** Case-sensitive, as the app is: /api/v1/Stores is not /api/v1/stores (a router ignores the app's setting unless told). */
  readonly router = Router({ caseSensitive: true });
  /** The methods each declared path takes, in declaration order. */
  private readonly methods = new Map<string, string[]>();

  constructor(
    private readonly registry: OpenAPIRegistry,
    private readonly authenticator: Authenticator,
    private readonly stores: Pick<StoreAccessService, 'require'>,
    private readonly docsBase = '',
  ) {}

  route<
    P extends AnyObject = z.ZodObject<{}>,
    Q extends AnyObject = z.ZodObject<{}>,
    B extends z.ZodType = z.ZodUndefined,
    H extends AnyObject = z.ZodObject<{}>,
  >(
    spec: RouteSpec<P, Q, B, H>,
    handler: (input: Input<z.infer<P>, z.infer<Q>, z.infer<B>, z.infer<H>>, res: Response) => Promise<void> | void,
  ): void {
    this.document(spec);
    const chain: RequestHandler[] = [];
    if (spec.auth) chain.push(requireRole(this.authenticator, spec.auth));
    if (spec.store) {
      // Who may do this to this store: decided before any of the body is read.
      const need = spec.store;
      chain.push(async (req, _res, next) => {
        const { storeId } = parseParams(spec.params, req.params) as { storeId: string };
        req.storeAccess = await this.stores.require((req.auth as Claims).sub, storeId, need);
        next();
      });
    }
    if (spec.body) chain.push(requireBodyType(spec.bodyTypes ?? ['json']));
    chain.push(...(spec.before ?? []));
    const multipart = spec.bodyTypes?.includes('multipart') ?? false;
    chain.push(async (req, res) => {
      const input = {
        params: parseParams(spec.params, req.params),
        // Only when declared: Express parses the query string on every read of `req.query`.
        query: spec.query ? parseFields(spec.query, req.query) : undefined,
        body: spec.body ? (multipart && req.is('multipart/form-data') ? parseFields : parsePart)(spec.body, req.body ?? {}) : undefined,
        headers: parsePart(spec.headers, req.headers),
        auth: req.auth as Claims,
        access: req.storeAccess,
        req,
      } as Input<z.infer<P>, z.infer<Q>, z.infer<B>, z.infer<H>>;
      await handler(input, res);
    });
    if (spec.store && !(spec.auth === 'seller' && spec.path.startsWith('/seller/stores/:storeId'))) {
      throw new Error(`${spec.method.toUpperCase()} ${spec.path}: store access needs a seller route under /seller/stores/:storeId`);
    }
    this.router[spec.method](spec.path, ...chain);
    if (!this.methods.has(spec.path)) this.methods.set(spec.path, []);
    this.methods.get(spec.path)!.push(spec.method.toUpperCase());
  }

  /**
   * After every route: a path that exists answers the methods it does not take with 405 and an
   * `Allow` header (RFC 9110) rather than "not found", and OPTIONS with 204 and that list.
   */
  answerOtherMethods(): void {
    for (const [path, methods] of this.methods) {
      const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
      this.router.all(path, (req, res) => {
        if (req.method !== 'OPTIONS') throw new MethodNotAllowedError(req.method, allow);
        res.set('Allow', allow).status(204).end();
      });
    }
  }

  private document(spec: RouteSpec<AnyObject, AnyObject, z.ZodType, AnyObject>): void {
    const responses: RouteConfig['responses'] = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      responses[status] = r.schema
        ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: r.schema } } }
        : { description: r.description };
    }
    const errorStatuses = new Set(spec.errors ?? []);
    if (spec.auth) [401, 403].forEach((s) => errorStatuses.add(s));
    if (spec.store) errorStatuses.add(404);
    if (spec.body || spec.query || spec.headers) errorStatuses.add(400);
    if (spec.params) errorStatuses.add(404);
    if (spec.body) [413, 415].forEach((s) => errorStatuses.add(s));
    for (const status of [...errorStatuses].sort()) {
      responses[String(status)] = {
        description: ERROR_TEXT[status] ?? 'Error',
        content: { 'application/problem+json': { schema: problem } },
      };
    }
    const request: RouteConfig['request'] = {};
    if (spec.params) request.params = spec.params as never;
    if (spec.query) request.query = spec.query as never;
    if (spec.headers) request.headers = spec.headers as never;
    if (spec.body) {
      const content: Record<string, { schema: z.ZodType }> = {};
      if ((spec.bodyTypes ?? ['json']).includes('json')) content['application/json'] = { schema: spec.body };
      if (spec.multipartDoc) content['multipart/form-data'] = { schema: spec.multipartDoc };
      request.body = { content, required: true };
    }
    this.registry.registerPath({
      method: spec.method,
      path: this.docsBase + spec.path.replace(/:(\w+)/g, '{$1}'),
      summary: spec.summary,
      description: spec.description,
      tags: [spec.tag],
      ...(spec.store ? { 'x-store-access': spec.store } : {}),
      security:
        spec.auth === 'any' ? [{ sellerToken: [] }, { customerToken: [] }] : spec.auth ? [{ [`${spec.auth}Token`]: [] }] : undefined,
      request,
      responses,
    });
  }
}

function parsePart<T extends z.ZodType>(schema: T | undefined, value: unknown): z.infer<T> | undefined {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(zodIssuesToFieldErrors(parsed.error));
  return parsed.data;
}

/**
 * A query parameter or form field given twice arrives as an array (`?limit=1&limit=2`). None of
 * ours takes more than one value, so its error says that instead of "expected string, received
 * array".
 */
function parseFields<T extends z.ZodType>(schema: T | undefined, fields: Record<string, unknown>): z.infer<T> | undefined {
  if (!schema) return undefined;
  const parsed = schema.safeParse(fields);
  if (parsed.success) return parsed.data;
  const errors = zodIssuesToFieldErrors(parsed.error).map((e) =>
    Array.isArray(fields[e.path]) ? { path: e.path, message: 'must be given once' } : e,
  );
  throw new ValidationError(errors.filter((e, i) => errors.findIndex((o) => o.path === e.path && o.message === e.message) === i));
}

/** Path parameters are ids and slugs: one that cannot be valid names nothing, so 404. */
function parseParams<T extends z.ZodType>(schema: T | undefined, value: unknown): z.infer<T> | undefined {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new NotFoundError();
  return parsed.data;
}
