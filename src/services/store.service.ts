import type { Db } from '../db/prisma';
import { GoneError, NotFoundError } from '../domain/errors';
import { SLUG_PATTERN, baseSlug, numberedSlug, randomSlug } from '../domain/slug';
import { PERMISSIONS, type Permission } from '../domain/permissions';
import type { Prisma, Store } from '../generated/prisma/client';
import type { Pagination } from '../schemas/common';
import type { StoreChanges } from './store-versions';
import { emitEvent } from './events/outbox';
import { isUniqueViolation } from './prisma-errors';
import { RecentMap } from './recent-map';

/** Rounds of numbered suffixes before falling back to a random one. */
const NUMBERED_ATTEMPTS = 12;
/** Slugs remembered per instance; a few bytes each. */
const MAX_KNOWN_SLUGS = 10_000;

export interface Page<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
}

/** A store closes when its owner's account is deleted: its link, catalog and carts answer 410 from then on. */
export const STORE_CLOSED = () => new GoneError('This store has closed and no longer takes orders.', 'store-closed');

export class StoreService {
  /** Slugs never change and are never given again (a closed store keeps its row), so a slug's store id never goes stale. */
  private readonly idsBySlug = new RecentMap<string>(MAX_KNOWN_SLUGS);

  constructor(
    private readonly db: Db,
    private readonly catalog: StoreChanges,
  ) {}

  /**
   * The slug is claimed by the unique index, not by a read-then-write: concurrent creates with
   * one name each try the next free number, and the loser of each round simply tries again.
   */
  async create(sellerId: string, input: { name: string; address: string }): Promise<Store> {
    const base = baseSlug(input.name);
    let slug = base;
    for (let attempt = 0; attempt < NUMBERED_ATTEMPTS + 3; attempt++) {
      try {
        return await this.db.store.create({ data: { sellerId, name: input.name, address: input.address, slug } });
      } catch (err) {
        if (!isUniqueViolation(err, 'slug')) throw err;
      }
      slug = attempt < NUMBERED_ATTEMPTS ? numberedSlug(base, await this.nextNumber(base)) : randomSlug(base);
    }
    throw new Error(`Could not find a free slug for "${base}"`);
  }

  /**
   * The stores an account works in, newest first: those it owns, and those whose staff holds its
   * mobile, each with the account's role and permissions there.
   */
  async listFor(
    accountId: string,
    { page, limit }: Pagination,
  ): Promise<Page<{ store: Store; role: 'owner' | 'staff'; permissions: Permission[] }>> {
    const account = await this.db.account.findUnique({ where: { id: accountId }, select: { mobile: true } });
    const mobile = account?.mobile ?? '';
    const where: Prisma.StoreWhereInput = { closedAt: null, OR: [{ sellerId: accountId }, { members: { some: { mobile } } }] };
    const [stores, total] = await Promise.all([
      this.db.store.findMany({
        where,
        include: { members: { where: { mobile }, select: { permissions: true } } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: (page - 1) * limit,
        take: limit,
      }),
      this.db.store.count({ where }),
    ]);
    const items = stores.map(({ members, ...store }) =>
      store.sellerId === accountId
        ? { store, role: 'owner' as const, permissions: [...PERMISSIONS] }
        : { store, role: 'staff' as const, permissions: (members[0]?.permissions ?? []) as Permission[] },
    );
    return { items, page, limit, total };
  }

  /** A store the caller may see (the store access seam decided it). */
  async get(storeId: string): Promise<Store> {
    const store = await this.db.store.findFirst({ where: { id: storeId, closedAt: null } });
    if (!store) throw new NotFoundError('Store');
    return store;
  }

  /** Name and address only: the slug, and so every link already shared, never changes. */
  async update(storeId: string, input: { name?: string; address?: string }): Promise<Store> {
    await this.db.$transaction(async (tx) => {
      const { count } = await tx.store.updateMany({ where: { id: storeId, closedAt: null }, data: input });
      if (count === 0) throw new NotFoundError('Store');
      await emitEvent(tx, storeId, 'catalog.changed', {});
    });
    await this.catalog.changed(storeId);
    return this.get(storeId);
  }

  /**
   * The id of the store a slug names, read from PostgreSQL once per instance: every buyer's
   * catalog, store page and new cart starts here.
   */
  async idOfSlug(slug: string): Promise<string> {
    const known = this.idsBySlug.get(slug);
    if (known) return known;
    const store = SLUG_PATTERN.test(slug) ? await this.db.store.findUnique({ where: { slug }, select: { id: true } }) : null;
    if (!store) throw new NotFoundError('Store');
    this.idsBySlug.set(slug, store.id);
    return store.id;
  }

  /** The slug a `storeLink` names: the slug itself, or the full link (`PUBLIC_BASE_URL/slug`), in any case. */
  slugOfLink(storeLink: string): string {
    const trimmed = storeLink.trim();
    if (!/^https?:\/\//i.test(trimmed)) return trimmed.toLowerCase();
    try {
      const segments = new URL(trimmed).pathname.split('/').filter(Boolean);
      return decodeURIComponent(segments.at(-1) ?? '').toLowerCase();
    } catch {
      return '';
    }
  }

  private async nextNumber(base: string): Promise<number> {
    // base holds only [a-z0-9-], so it is safe inside the regular expression.
    const rows = await this.db.$queryRaw<{ max: number | null }[]>`
      SELECT max(substring(slug from '-([0-9]{1,9})$')::int) AS max
      FROM stores WHERE slug ~ ('^' || ${base} || '-[0-9]{1,9}$')`;
    return Math.max(2, (rows[0]?.max ?? 1) + 1);
  }
}
