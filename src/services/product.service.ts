import type { Db } from '../db/prisma';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { decimalToPaise, paiseToDecimalString } from '../domain/money';
import { Prisma } from '../generated/prisma/client';
import type { Pagination } from '../schemas/common';
import type { CategoryService, CategorySummary } from './category.service';
import { categoryKey } from './category.service';
import type { ArchivedProducts } from './archived-products';
import { emitEvent } from './events/outbox';
import type { StoreChanges } from './store-versions';
import type { ImageStore } from './images/image-store';
import type { PreparedImage } from './images/image-processor';
import type { Page } from './store.service';

export interface ProductInput {
  name: string;
  description?: string | null;
  /** Paise. */
  mrp: number;
  /** Paise. */
  salePrice: number;
  category: string;
  stock?: number | null;
  active?: boolean;
}

export type ProductPatch = Partial<ProductInput> & {
  /** null removes the image; a Buffer replaces it. */
  image?: Buffer | null;
};

export interface ProductFilter {
  category?: string;
  active?: boolean;
  q?: string;
}

const withCategory = { category: { select: { id: true, name: true } } } as const;
export type ProductRow = Prisma.ProductGetPayload<{ include: typeof withCategory }>;

/** What presenters need of a product, from Prisma or from hand-written SQL. */
export interface ProductView {
  id: string;
  storeId: string;
  name: string;
  description: string | null;
  mrp: { toFixed(digits: number): string } | string;
  salePrice: { toFixed(digits: number): string } | string;
  category: { id: string; name: string };
  image: string | null;
  /** [{ width, height, file }], as stored (JSON). */
  imageVariants: unknown;
  stock: number | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export class ProductService {
  constructor(
    private readonly db: Db,
    private readonly categories: CategoryService,
    private readonly images: ImageStore,
    private readonly archived: ArchivedProducts,
    private readonly catalog: StoreChanges,
    /** What one store's images may take on disk (STORE_IMAGE_QUOTA_MB). */
    private readonly imageQuotaBytes: number,
  ) {}

  /**
   * 409 unless `bytes` more fit in the store's image quota, counting every image of its products
   * (archived ones' files stay on disk for past orders). The lock makes a store's uploads take
   * turns here, so racing uploads cannot each see the same room; it is held until `tx` ends.
   */
  private async assertImageRoom(tx: Prisma.TransactionClient, storeId: string, bytes: number, replacing?: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`images:${storeId}`}, 0))`;
    const used = await tx.product.aggregate({
      where: { storeId, imageBytes: { not: null }, ...(replacing ? { id: { not: replacing } } : {}) },
      _sum: { imageBytes: true },
    });
    if ((used._sum.imageBytes ?? 0) + bytes > this.imageQuotaBytes) {
      const mib = Math.floor(this.imageQuotaBytes / (1024 * 1024));
      throw new ConflictError(
        `The store's images would take more than its ${mib} MiB. Remove or shrink some first.`,
        'image-quota-exceeded',
      );
    }
  }

  /** Every method takes a store the caller may act on (the store access seam decided it before). */
  async create(storeId: string, input: ProductInput, image?: Buffer): Promise<ProductRow> {
    assertPrices(input.mrp, input.salePrice);
    // Decoded and re-encoded before any transaction opens: it is the slow part, and needs no row.
    const prepared = image ? await this.images.prepare(image) : null;
    const category = await this.categories.resolve(storeId, input.category);
    const data = {
      storeId,
      categoryId: category.id,
      name: input.name,
      description: emptyToNull(input.description),
      mrp: paiseToDecimalString(input.mrp),
      salePrice: paiseToDecimalString(input.salePrice),
      stock: input.stock ?? null,
      active: input.active ?? true,
      ...imageColumns(prepared),
    };
    const created = await this.db.$transaction(async (tx) => {
      if (prepared) {
        await this.assertImageRoom(tx, storeId, prepared.totalBytes);
        await this.images.save(tx, storeId, prepared);
      }
      const product = await tx.product.create({ data, include: withCategory });
      await emitEvent(tx, storeId, 'catalog.changed', {});
      return product;
    });
    await this.catalog.changed(storeId);
    return created;
  }

  async list(storeId: string, filter: ProductFilter, { page, limit }: Pagination): Promise<Page<ProductRow>> {
    const where: Prisma.ProductWhereInput = { storeId, archivedAt: null };
    if (filter.active !== undefined) where.active = filter.active;
    if (filter.category !== undefined) where.category = { nameKey: categoryKey(filter.category) };
    // Prisma passes `contains` to ILIKE as is: escape its wildcards so "%" means a percent sign.
    if (filter.q) where.name = { contains: filter.q.replace(/[\\%_]/g, '\\$&'), mode: 'insensitive' };
    const [items, total] = await Promise.all([
      this.db.product.findMany({
        where,
        include: withCategory,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: (page - 1) * limit,
        take: limit,
      }),
      this.db.product.count({ where }),
    ]);
    return { items, page, limit, total };
  }

  async get(storeId: string, productId: string): Promise<ProductRow> {
    const product = await this.db.product.findFirst({
      where: { id: productId, storeId, archivedAt: null },
      include: withCategory,
    });
    if (!product) throw new NotFoundError('Product');
    return product;
  }

  async update(storeId: string, productId: string, patch: ProductPatch): Promise<ProductRow> {
    const prepared = patch.image ? await this.images.prepare(patch.image) : null;
    let replaced: string | null = null;
    const updated = await this.db.$transaction(async (tx) => {
      // Lock the row: the price rule (salePrice <= mrp) spans two fields that two concurrent
      // PATCHes could each change, so check and write under one lock.
      const locked = await tx.$queryRaw<{ mrp: string; sale_price: string; image: string | null; image_variants: unknown }[]>`
        SELECT p.mrp::text AS mrp, p.sale_price::text AS sale_price, p.image, p.image_variants
        FROM products p
        WHERE p.id = ${productId}::uuid AND p.store_id = ${storeId}::uuid AND p.archived_at IS NULL
        FOR UPDATE`;
      const current = locked[0];
      if (!current) throw new NotFoundError('Product');
      const mrp = patch.mrp ?? decimalToPaise(current.mrp);
      const salePrice = patch.salePrice ?? decimalToPaise(current.sale_price);
      assertPrices(mrp, salePrice);
      const data: Prisma.ProductUncheckedUpdateInput = {};
      if (patch.name !== undefined) data.name = patch.name;
      if (patch.description !== undefined) data.description = emptyToNull(patch.description);
      if (patch.mrp !== undefined) data.mrp = paiseToDecimalString(patch.mrp);
      if (patch.salePrice !== undefined) data.salePrice = paiseToDecimalString(patch.salePrice);
      if (patch.stock !== undefined) data.stock = patch.stock;
      if (patch.active !== undefined) data.active = patch.active;
      if (patch.category !== undefined) data.categoryId = (await this.categories.resolve(storeId, patch.category, tx)).id;
      if (patch.image !== undefined) {
        if (prepared) {
          await this.assertImageRoom(tx, storeId, prepared.totalBytes, productId);
          await this.images.save(tx, storeId, prepared);
        }
        // The old files go with the change that drops them.
        await this.images.removeFilesOf(tx, { image: current.image, imageVariants: current.image_variants });
        Object.assign(data, imageColumns(prepared));
        replaced = current.image;
      }
      const updated = await tx.product.update({ where: { id: productId }, data, include: withCategory });
      await emitEvent(tx, storeId, 'catalog.changed', {});
      if (patch.stock !== undefined) await emitEvent(tx, storeId, 'product.stock_changed', { productId, stock: updated.stock });
      return updated;
    });
    await this.images.removeLegacy(replaced);
    await this.catalog.changed(storeId);
    return updated;
  }

  async listCategories(storeId: string): Promise<CategorySummary[]> {
    return this.categories.list(storeId);
  }

  /** Archives: gone from the catalog, carts and the seller's list; past orders keep their lines. */
  async archive(storeId: string, productId: string): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const { count } = await tx.product.updateMany({
        where: { id: productId, storeId, archivedAt: null },
        data: { archivedAt: new Date() },
      });
      if (count === 0) throw new NotFoundError('Product');
      await emitEvent(tx, storeId, 'catalog.changed', {});
    });
    // Carts drop the line on their next read. If Redis is down the archive still stands:
    // checkout re-reads PostgreSQL and refuses archived products.
    await this.archived.add(productId).catch(() => undefined);
    await this.catalog.changed(storeId);
  }
}

function assertPrices(mrp: number, salePrice: number): void {
  if (salePrice > mrp) {
    throw new ValidationError([{ path: 'salePrice', message: 'must not be more than mrp' }]);
  }
}

/** What a product row records of its image (all null without one). */
function imageColumns(prepared: PreparedImage | null) {
  return {
    image: prepared?.original.name ?? null,
    imageBytes: prepared?.totalBytes ?? null,
    imageVariants: prepared ? (prepared.variants as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
  };
}

function emptyToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}
