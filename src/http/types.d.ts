import type { StoreAccess } from '../services/store-access';
import type { Claims } from '../services/token.service';

declare global {
  namespace Express {
    interface Request {
      /** Set by the request-id middleware on every request. */
      id: string;
      /** Set by requireRole on authenticated routes. */
      auth?: Claims;
      /** The caller's standing in the path's store, decided by the store access seam. */
      storeAccess?: StoreAccess;
    }
  }
}

export {};
