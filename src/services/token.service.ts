import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { UnauthorizedError } from '../domain/errors';

export type Role = 'seller' | 'customer';

export interface Claims {
  sub: string;
  role: Role;
  /** The session the token was issued from (sessions.id): ending it ends the token. */
  sid: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Issues and checks the API's access tokens: HS256 only, so `alg: none` and RS/HS confusion fail. */
export class TokenService {
  // A KeyObject made once: given a string, jsonwebtoken first tries to parse it as a public key on
  // every call, which is work for nothing on every authenticated request.
  private readonly secret: KeyObject;

  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.secret = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  issue(claims: Claims): string {
    return jwt.sign({ role: claims.role, sid: claims.sid }, this.secret, {
      algorithm: 'HS256',
      subject: claims.sub,
      expiresIn: this.ttlSeconds,
    });
  }

  /** The claims of a well-signed, unexpired token; whether its session still lives is SessionService's question. */
  verify(token: string): Claims {
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.secret, { algorithms: ['HS256'] });
    } catch {
      throw new UnauthorizedError('The token is missing, expired or invalid.');
    }
    if (
      typeof payload === 'string' ||
      typeof payload.sub !== 'string' ||
      (payload.role !== 'seller' && payload.role !== 'customer') ||
      typeof payload.sid !== 'string' ||
      !UUID.test(payload.sid) ||
      typeof payload.exp !== 'number'
    ) {
      throw new UnauthorizedError('The token is missing, expired or invalid.');
    }
    return { sub: payload.sub, role: payload.role, sid: payload.sid };
  }
}
