import express, { Router } from 'express';
import { STORED_NAME } from '../../services/image-store';

/**
 * Product images. Only names the image store gives out are served (no listing, no dot files,
 * no path traversal), always as images, with nosniff, and cached for a year: a name never gets
 * other bytes, a replaced image gets a new name.
 */
export function uploadsRouter(dir: string): Router {
  const router = Router();
  router.use((req, _res, next) => {
    if (!STORED_NAME.test(req.path.slice(1))) return next('router');
    next();
  });
  router.use(
    express.static(dir, {
      index: false,
      dotfiles: 'deny',
      redirect: false,
      immutable: true,
      maxAge: '365d',
      setHeaders: (res) => {
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Content-Security-Policy', "default-src 'none'");
      },
    }),
  );
  return router;
}
