import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../db/prisma';
import type { Prisma } from '../../generated/prisma/client';
import { IMAGE_FILE_NAME, prepareImage, previewFileOf, type ImageFileData, type PreparedImage, type Variant } from './image-processor';

type Tx = Prisma.TransactionClient;

export interface ServedImage {
  contentType: string;
  bytes: Buffer;
}

/**
 * Where image files live: a store every instance of the API reaches, so an image stored through
 * one is served by all. Writes and removals take the caller's transaction, so a product row and
 * its files commit or roll back together (no orphans, no rows pointing at nothing). PostgreSQL is
 * the one implemented; an object store (S3 and the like) would implement the same three methods.
 */
export interface ImageFiles {
  write(tx: Tx, storeId: string, files: ImageFileData[]): Promise<void>;
  read(name: string): Promise<ServedImage | null>;
  remove(tx: Tx, names: string[]): Promise<void>;
}

/** Image files as rows of `image_files`: a product's are a few hundred KB, written once, read by name. */
export class PgImageFiles implements ImageFiles {
  constructor(private readonly db: Db) {}

  async write(tx: Tx, storeId: string, files: ImageFileData[]): Promise<void> {
    await tx.imageFile.createMany({
      data: files.map((f) => ({ name: f.name, storeId, contentType: f.contentType, bytes: new Uint8Array(f.bytes) })),
    });
  }

  async read(name: string): Promise<ServedImage | null> {
    const row = await this.db.imageFile.findUnique({ where: { name }, select: { contentType: true, bytes: true } });
    return row ? { contentType: row.contentType, bytes: Buffer.from(row.bytes) } : null;
  }

  async remove(tx: Tx, names: string[]): Promise<void> {
    if (names.length > 0) await tx.imageFile.deleteMany({ where: { name: { in: names } } });
  }
}

/** The image columns of a product row. */
export interface ProductImage {
  image: string | null;
  imageVariants: unknown;
}

const LEGACY_TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/**
 * Product images: what an upload becomes (image-processor.ts), where its files are kept
 * (ImageFiles), and which names belong to a product. Uploads made before images moved into
 * PostgreSQL are still read from UPLOAD_DIR until `npm run images:backfill` moves them.
 */
export class ImageStore {
  constructor(
    private readonly files: ImageFiles,
    /** UPLOAD_DIR: where earlier versions kept uploads on the instance's own disk. */
    private readonly legacyDir: string,
  ) {}

  /** What an upload becomes (image-processor.ts); `stem` names its files (random when not given). */
  prepare(bytes: Buffer, stem?: string): Promise<PreparedImage> {
    return prepareImage(bytes, stem);
  }

  save(tx: Tx, storeId: string, prepared: PreparedImage): Promise<void> {
    return this.files.write(tx, storeId, prepared.files);
  }

  /** Removes a product's files with the change that drops them. */
  removeFilesOf(tx: Tx, product: ProductImage): Promise<void> {
    return this.files.remove(tx, filesOf(product));
  }

  /** A stored file by name: from the shared store, else (not yet backfilled) from UPLOAD_DIR. */
  async read(name: string): Promise<ServedImage | null> {
    if (!IMAGE_FILE_NAME.test(name)) return null;
    const stored = await this.files.read(name);
    if (stored) return stored;
    const bytes = await readFile(path.join(this.legacyDir, name)).catch(() => null);
    return bytes ? { contentType: LEGACY_TYPES[name.split('.').pop()!]!, bytes } : null;
  }

  /** Reads an upload of an earlier version from UPLOAD_DIR (the backfill's source). */
  readLegacy(name: string): Promise<Buffer | null> {
    if (!IMAGE_FILE_NAME.test(name)) return Promise.resolve(null);
    return readFile(path.join(this.legacyDir, name)).catch(() => null);
  }

  /** Best effort, after the change committed: a legacy file left behind wastes disk, never breaks a request. */
  async removeLegacy(name: string | null): Promise<void> {
    if (name && IMAGE_FILE_NAME.test(name)) await unlink(path.join(this.legacyDir, name)).catch(() => undefined);
  }
}

/** Every file name a product's image columns refer to. */
export function filesOf({ image, imageVariants }: ProductImage): string[] {
  if (!image || !IMAGE_FILE_NAME.test(image)) return [];
  const variants = Array.isArray(imageVariants) ? (imageVariants as Variant[]).map((v) => v.file) : [];
  return [image, ...variants, ...(variants.length > 0 ? [previewFileOf(image)] : [])];
}
