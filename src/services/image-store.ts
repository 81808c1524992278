import { randomBytes } from 'node:crypto';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UnsupportedMediaTypeError } from '../domain/errors';

const ALLOWED: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** Names this store gives files; anything else is not ours to touch. */
export const STORED_NAME = /^[a-f0-9]{32}\.(jpg|png|webp)$/;

/**
 * Product images on local disk under UPLOAD_DIR. The type is decided by the bytes (never the
 * file name or the client's Content-Type), and files get random names, so an upload can neither
 * choose where it lands nor be served as anything but an image.
 */
export class ImageStore {
  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    // Loaded now rather than by the first upload or import, which would hold the event loop
    // while the module compiles.
    await import('file-type');
  }

  async save(bytes: Buffer): Promise<string> {
    // file-type is ESM-only; a dynamic import loads it from this CommonJS build.
    const { fileTypeFromBuffer } = await import('file-type');
    const type = await fileTypeFromBuffer(bytes);
    const ext = type ? ALLOWED[type.mime] : undefined;
    if (!ext) throw new UnsupportedMediaTypeError('The image must be a JPEG, PNG or WebP file.');
    const name = `${randomBytes(16).toString('hex')}.${ext}`;
    await writeFile(path.join(this.dir, name), bytes, { flag: 'wx' });
    return name;
  }

  /** Best effort: a file left behind wastes disk, it never breaks a request. */
  async remove(name: string | null | undefined): Promise<void> {
    if (!name || !STORED_NAME.test(name)) return;
    await unlink(path.join(this.dir, name)).catch(() => undefined);
  }
}
