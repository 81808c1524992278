// What an upload becomes before anything is stored: the original re-encoded without metadata,
// WebP variants for phones, and a JPEG for link previews. All of it with sharp (libvips), which
// decodes and encodes off the event loop, in libuv's thread pool.
import { randomBytes } from 'node:crypto';
import type { Sharp } from 'sharp';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../../domain/errors';

type SharpFactory = typeof import('sharp');
let loaded: Promise<SharpFactory> | undefined;
/**
 * sharp, loaded on the first image: libvips takes several MiB of memory once loaded, and an
 * instance that never processes an image (most of the time, most instances) never pays it.
 */
function loadSharp(): Promise<SharpFactory> {
  return (loaded ??= import('sharp').then((m) => m.default));
}

/** Images larger than this are refused whatever their byte size (a small PNG can claim 100,000²). */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Widths of the WebP variants pages offer in `srcset` (the contract's). */
export const VARIANT_WIDTHS = [320, 640, 1200] as const;
/** The link preview: the size WhatsApp, Facebook and X show large, and their byte limit. */
export const PREVIEW = { width: 1200, height: 630, maxBytes: 300 * 1024 } as const;

const FORMATS = {
  jpeg: { ext: 'jpg', type: 'image/jpeg' },
  png: { ext: 'png', type: 'image/png' },
  webp: { ext: 'webp', type: 'image/webp' },
};
type Format = keyof typeof FORMATS;

export interface ImageFileData {
  name: string;
  contentType: string;
  bytes: Buffer;
}

export interface Variant {
  width: number;
  height: number;
  file: string;
}

/** An upload made ready to store: every file, and what the product row records of them. */
export interface PreparedImage {
  original: ImageFileData;
  variants: Variant[];
  preview: ImageFileData;
  files: ImageFileData[];
  totalBytes: number;
}

/** Names this project gives image files: the original, a variant (-w320) or the preview (-og). */
export const IMAGE_FILE_NAME = /^[a-f0-9]{32}(?:-w\d{1,4}|-og)?\.(?:jpg|png|webp)$/;

/** The link preview's file of an original: the same stem with `-og.jpg`. */
export function previewFileOf(original: string): string {
  return `${original.replace(/\.[a-z]+$/, '')}-og.jpg`;
}

/** The variant widths for an upright image `width` wide: never upscaled, at least one. */
export function variantWidths(width: number): number[] {
  const fitting = VARIANT_WIDTHS.filter((w) => w <= width);
  return fitting.length > 0 ? fitting : [width];
}

/**
 * Reads, checks and re-encodes an upload. The type comes from the bytes (never the name); the
 * pixel count from the header alone, before anything is decoded; every output is encoded anew,
 * which drops EXIF (a phone photo's GPS position), XMP, IPTC and comments: sharp keeps metadata
 * only when asked to. The EXIF orientation is applied first, so a photo taken upright stays
 * upright once its tag is gone. Files are named by a random `stem` (the backfill passes an
 * existing upload's, so its URL stays).
 */
export async function prepareImage(bytes: Buffer, stem = randomBytes(16).toString('hex')): Promise<PreparedImage> {
  const sharp = await loadSharp();
  const input = (): Sharp => sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).autoOrient();
  let format: Format;
  let width: number;
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    if (!(meta.format in FORMATS)) throw new UnsupportedMediaTypeError('The image must be a JPEG, PNG or WebP file.');
    format = meta.format as Format;
    if (meta.width * meta.height > MAX_IMAGE_PIXELS) {
      throw new PayloadTooLargeError(`The image has more than ${MAX_IMAGE_PIXELS / 1_000_000} megapixels. Send a smaller one.`);
    }
    width = meta.autoOrient.width;
  } catch (err) {
    if (err instanceof PayloadTooLargeError || err instanceof UnsupportedMediaTypeError) throw err;
    throw unreadable();
  }

  try {
    const original = await encode(input(), format);
    const variants = await Promise.all(
      variantWidths(width).map(async (w) => {
        const { data, info } = await input()
          .resize({ width: w, withoutEnlargement: true })
          .webp({ quality: 80 })
          .toBuffer({ resolveWithObject: true });
        return {
          width: info.width,
          height: info.height,
          file: { name: `${stem}-w${info.width}.webp`, contentType: 'image/webp', bytes: data },
        };
      }),
    );
    const preview = await previewJpeg(sharp, input());
    const name = `${stem}.${FORMATS[format].ext}`;
    const files = [
      { name, contentType: FORMATS[format].type, bytes: original },
      ...variants.map((v) => v.file),
      { name: previewFileOf(name), contentType: 'image/jpeg', bytes: preview },
    ];
    return {
      original: files[0]!,
      variants: variants.map((v) => ({ width: v.width, height: v.height, file: v.file.name })),
      preview: files.at(-1)!,
      files,
      totalBytes: files.reduce((n, f) => n + f.bytes.length, 0),
    };
  } catch {
    // The header read, the pixels did not (a truncated or corrupt file).
    throw unreadable();
  }
}

function unreadable(): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError('The image could not be read. Send a JPEG, PNG or WebP file.');
}

function encode(image: Sharp, format: Format): Promise<Buffer> {
  switch (format) {
    case 'jpeg':
      return image.jpeg({ quality: 85, mozjpeg: true }).toBuffer();
    case 'png':
      return image.png({ compressionLevel: 9 }).toBuffer();
    case 'webp':
      return image.webp({ quality: 85 }).toBuffer();
  }
}

/**
 * The link preview: the whole image fitted into 1200x630 on white (a crop could cut the product
 * off), as a JPEG under the previews' 300 KB; a busy photo is encoded again at lower quality until
 * it fits.
 */
async function previewJpeg(sharp: SharpFactory, image: Sharp): Promise<Buffer> {
  const fitted = await image
    .resize(PREVIEW.width, PREVIEW.height, { fit: 'contain', background: '#ffffff' })
    .flatten({ background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  for (const quality of [82, 70, 55, 40]) {
    const jpeg = await sharp(fitted.data, { raw: fitted.info }).jpeg({ quality, mozjpeg: true }).toBuffer();
    if (jpeg.length <= PREVIEW.maxBytes) return jpeg;
  }
  return sharp(fitted.data, { raw: fitted.info }).jpeg({ quality: 25, mozjpeg: true }).toBuffer();
}
