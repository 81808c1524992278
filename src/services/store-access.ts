import type { Db } from '../db/prisma';
import { ForbiddenError, NotFoundError } from '../domain/errors';
import { PERMISSIONS, type Permission } from '../domain/permissions';
import { RecentMap } from './recent-map';
import { SingleFlightCache } from './single-flight-cache';
import { MAX_AGE_MS, type StoreVersion, type StoreVersions } from './store-versions';

export { PERMISSIONS, type Permission };

/** What a route needs of its caller in a store: to belong to it (any role), one permission, or to own it. */
export type StoreNeed = Permission | 'member' | 'owner';

/** The caller's standing in a store, as the seam decided it. */
export interface StoreAccess {
  storeId: string;
  accountId: string;
  /** The caller's mobile (null only for an account being deleted), for the order history. */
  mobile: string | null;
  role: 'owner' | 'staff';
  permissions: Permission[];
}

/** Who is who in a store: its owner, and its staff by mobile. */
interface StoreCard {
  ownerId: string;
  staff: Map<string, Permission[]>;
}

const MAX_STORES = 10_000;
const MAX_ACCOUNTS = 50_000;

/**
 * The one seam that decides whether an account may do a thing to a store: every seller route
 * under /seller/stores/:storeId asks it, through its declaration (ApiRouter's `store`), before
 * the handler runs. Not a member: 404 (the store's existence is not told). A member without the
 * permission, or staff where only the owner may act: 403.
 *
 * Deciding costs no query while nothing changed: each instance keeps who is who per store under
 * the store's `access` version (StoreVersions), which every change to the staff replaces, so a
 * removal or a permission taken away holds from the member's next request, on every instance.
 * An account's mobile never changes while the account lives, so it is kept without a version.
 */
export class StoreAccessService {
  private readonly cards = new SingleFlightCache<StoreCard | null, StoreVersion>({
    idOf: (v) => v.access,
    maxEntries: MAX_STORES,
    maxAgeMs: MAX_AGE_MS,
  });
  private readonly mobiles = new RecentMap<string | null>(MAX_ACCOUNTS);

  constructor(
    private readonly db: Db,
    private readonly versions: Pick<StoreVersions, 'read'>,
  ) {}

  async require(accountId: string, storeId: string, need: StoreNeed): Promise<StoreAccess> {
    const [card, mobile] = await Promise.all([this.card(storeId), this.mobileOf(accountId)]);
    const staff = mobile !== null && card ? card.staff.get(mobile) : undefined;
    if (!card || (card.ownerId !== accountId && !staff)) throw new NotFoundError('Store');
    const access: StoreAccess =
      card.ownerId === accountId
        ? { storeId, accountId, mobile, role: 'owner', permissions: [...PERMISSIONS] }
        : { storeId, accountId, mobile, role: 'staff', permissions: staff! };
    if (need === 'owner' && access.role !== 'owner') throw new ForbiddenError("Only the store's owner may do this.", 'owner-only');
    if (need !== 'owner' && need !== 'member' && !access.permissions.includes(need)) {
      throw new ForbiddenError(`This needs the "${need}" permission in this store.`, 'missing-permission');
    }
    return access;
  }

  /** The mobiles of the store's staff holding `permission` (who hears of new orders), from the same cache. */
  async staffWith(storeId: string, permission: Permission): Promise<string[]> {
    const card = await this.card(storeId);
    return card ? [...card.staff].filter(([, permissions]) => permissions.includes(permission)).map(([mobile]) => mobile) : [];
  }

  private card(storeId: string): Promise<StoreCard | null> {
    return this.cards.get(
      storeId,
      () => this.versions.read(storeId),
      async () => {
        const store = await this.db.store.findUnique({
          where: { id: storeId },
          select: { sellerId: true, closedAt: true, members: { select: { mobile: true, permissions: true } } },
        });
        if (!store || store.closedAt) return null;
        return { ownerId: store.sellerId, staff: new Map(store.members.map((m) => [m.mobile, m.permissions as Permission[]])) };
      },
    );
  }

  private async mobileOf(accountId: string): Promise<string | null> {
    const known = this.mobiles.get(accountId);
    if (known !== undefined) return known;
    const account = await this.db.account.findUnique({ where: { id: accountId }, select: { mobile: true } });
    const mobile = account?.mobile ?? null;
    if (mobile) this.mobiles.set(accountId, mobile);
    return mobile;
  }
}
