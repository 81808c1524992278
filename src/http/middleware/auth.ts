import type { RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../domain/errors';
import type { Claims, Role } from '../../services/token.service';

/** Who a bearer token is, if its session still lives (SessionService.authenticate). */
export interface Authenticator {
  authenticate(token: string): Promise<Claims>;
}

/** Which tokens an endpoint takes: one role's, or either (logout). */
export type Audience = Role | 'any';

/** The caller of an Authorization header: 401 without a usable bearer token (or with one of an ended session), 403 with one of another role. */
export async function bearerClaims(authenticator: Authenticator, header: string | undefined, audience: Audience): Promise<Claims> {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header ?? '');
  if (!match) throw new UnauthorizedError('A bearer token is required.');
  const claims = await authenticator.authenticate(match[1]!);
  if (audience !== 'any' && claims.role !== audience) throw new ForbiddenError(`This endpoint needs a ${audience} token.`);
  return claims;
}

export function requireRole(authenticator: Authenticator, audience: Audience): RequestHandler {
  return async (req, _res, next) => {
    req.auth = await bearerClaims(authenticator, req.get('authorization'), audience);
    next();
  };
}
