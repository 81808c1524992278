import type { Logger } from 'pino';
import type { Db } from '../../db/prisma';
import { Prisma } from '../../generated/prisma/client';
import { IMAGE_FILE_NAME } from './image-processor';
import type { ImageStore } from './image-store';

export interface BackfillResult {
  done: number;
  /** Products whose upload could not be found or read; they keep their image as it was. */
  failed: Array<{ productId: string; image: string; reason: string }>;
}

/**
 * The one-off move of uploads made before images lived in PostgreSQL: each product whose image is
 * an upload without variants gets its original (metadata stripped, same name, so past orders'
 * lines keep showing it), its variants and its preview, in one transaction with the row; the file
 * on the instance's disk goes after the commit. Running it again finds nothing left to do.
 */
export class ImageBackfill {
  constructor(
    private readonly db: Db,
    private readonly images: ImageStore,
    private readonly logger: Logger,
  ) {}

  async run(): Promise<BackfillResult> {
    const result: BackfillResult = { done: 0, failed: [] };
    const rows = await this.db.product.findMany({
      where: { image: { not: null }, imageVariants: { equals: Prisma.DbNull } },
      select: { id: true, storeId: true, image: true },
      orderBy: { id: 'asc' },
    });
    for (const row of rows) {
      const image = row.image!;
      if (!IMAGE_FILE_NAME.test(image)) continue; // an absolute URL: not ours to process
      try {
        await this.one(row.id, row.storeId, image);
        result.done++;
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        this.logger.warn({ productId: row.id, image, reason }, 'image not backfilled');
        result.failed.push({ productId: row.id, image, reason });
      }
    }
    return result;
  }

  private async one(productId: string, storeId: string, image: string): Promise<void> {
    const bytes = await this.images.readLegacy(image);
    if (!bytes) throw new Error('the file is not in UPLOAD_DIR');
    const prepared = await this.images.prepare(bytes, image.replace(/\..+$/, ''));
    await this.db.$transaction(async (tx) => {
      // Another run, or a PATCH, may have got there first: then there is nothing to do here.
      const { count } = await tx.product.updateMany({
        where: { id: productId, image, imageVariants: { equals: Prisma.DbNull } },
        data: { imageVariants: prepared.variants as unknown as Prisma.InputJsonValue, imageBytes: prepared.totalBytes },
      });
      if (count === 1) await this.images.save(tx, storeId, prepared);
    });
    await this.images.removeLegacy(image);
  }
}
