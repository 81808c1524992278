// Real image bytes for upload tests, made in code rather than committed as binaries.
import sharp from 'sharp';

export { pngBytes } from '../../scripts/lib/png';

/** A WebP container header (VP8L, 1x1). */
export const WEBP_BYTES = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

/** A gradient photo, so encoders have something to do. */
function photo(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: '#c05621' } }).composite([
    {
      input: Buffer.from(
        `<svg width="${width}" height="${height}"><defs><linearGradient id="g"><stop offset="0" stop-color="#2b6cb0"/>` +
          `<stop offset="1" stop-color="#f6e05e"/></linearGradient></defs><rect width="100%" height="60%" fill="url(#g)"/></svg>`,
      ),
    },
  ]);
}

/** A JPEG as a phone writes one: EXIF with the camera, the GPS position where it was taken, and an orientation. */
export async function phoneJpeg(width = 800, height = 600, orientation = 1): Promise<Buffer> {
  return photo(width, height)
    .jpeg({ quality: 90 })
    .withMetadata({ orientation })
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Pocket 12' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '12/1 58/1 1234/100', GPSLongitudeRef: 'E', GPSLongitude: '77/1 35/1 4567/100' },
    })
    .toBuffer();
}

export async function jpegBytes(width = 64, height = 64): Promise<Buffer> {
  return photo(width, height).jpeg().toBuffer();
}

export async function pngImage(width: number, height: number): Promise<Buffer> {
  return photo(width, height).png().toBuffer();
}
