import { Router } from 'express';
import type { ImageStore } from '../../services/images/image-store';

/**
 * Product images, by the names the image store gives (no listing, no paths, nothing else), from
 * the store every instance shares. Always as images, with nosniff, and cached for a year: a name
 * never gets other bytes, a replaced image gets a new name.
 */
export function uploadsRouter(images: ImageStore): Router {
  const router = Router();
  router.get('/:name', async (req, res, next) => {
    const image = await images.read(req.params.name);
    if (!image) return next();
    res.set({
      'Content-Type': image.contentType,
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'",
    });
    res.send(image.bytes);
  });
  return router;
}
