import type { Claims } from '../services/token.service';

declare global {
  namespace Express {
    interface Request {
      /** Set by the request-id middleware on every request. */
      id: string;
      /** Set by requireRole on authenticated routes. */
      auth?: Claims;
    }
  }
}

export {};
