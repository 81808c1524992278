import type { RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../domain/errors';
import type { Role, TokenService } from '../../services/token.service';

/** 401 without a usable bearer token, 403 with a valid token of another role. */
export function requireRole(tokens: TokenService, role: Role): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
    if (!match) throw new UnauthorizedError('A bearer token is required.');
    const claims = tokens.verify(match[1]!);
    if (claims.role !== role) throw new ForbiddenError(`This endpoint needs a ${role} token.`);
    req.auth = claims;
    next();
  };
}
