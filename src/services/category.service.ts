import type { Db } from '../db/prisma';
import type { Category } from '../generated/prisma/client';
import { findOrCreate } from './find-or-create';

type CategoryClient = Pick<Db, 'category'>;

export interface CategorySummary {
  id: string;
  name: string;
  productCount: number;
}

/** What makes two category names the same category: trimmed, case-insensitive. */
export function categoryKey(name: string): string {
  return name.trim().toLocaleLowerCase('en');
}

export class CategoryService {
  constructor(private readonly db: Db) {}

  /** The store's category of this name, created on first use; safe when two requests race. */
  async resolve(storeId: string, name: string, db: CategoryClient = this.db): Promise<Category> {
    const nameKey = categoryKey(name);
    const { row } = await findOrCreate(
      () => db.category.findUnique({ where: { storeId_nameKey: { storeId, nameKey } } }),
      () => db.category.create({ data: { storeId, name: name.trim(), nameKey } }),
    );
    return row;
  }

  /** Every category of the store with its live (not archived) product count, by name. */
  async list(storeId: string): Promise<CategorySummary[]> {
    const rows = await this.db.category.findMany({
      where: { storeId },
      orderBy: [{ nameKey: 'asc' }, { id: 'asc' }],
      select: { id: true, name: true, _count: { select: { products: { where: { archivedAt: null } } } } },
    });
    return rows.map((r) => ({ id: r.id, name: r.name, productCount: r._count.products }));
  }
}
