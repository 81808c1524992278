import type { Db } from '../db/prisma';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { Permission } from '../domain/permissions';
import type { StoreMember } from '../generated/prisma/client';
import type { NotificationService } from './notification.service';
import { isUniqueViolation } from './prisma-errors';
import type { StoreVersions } from './store-versions';

/** Staff a store may have besides its owner. */
export const MAX_STAFF = 20;

/**
 * A store's staff, managed by its owner (the store access seam lets only the owner here). Every
 * change replaces the store's `access` version, so the person it concerns is judged anew on their
 * very next request, with the token they already hold, on every instance.
 */
export class StaffService {
  constructor(
    private readonly db: Db,
    private readonly versions: Pick<StoreVersions, 'accessChanged'>,
    private readonly notifications: Pick<NotificationService, 'staffAdded'>,
  ) {}

  /**
   * Adds a mobile to the store's staff (409 for the owner's own mobile, one already on the staff,
   * or a 21st). The store row is locked so that racing adds count each other.
   */
  async add(storeId: string, input: { mobile: string; name?: string; permissions: Permission[] }): Promise<StoreMember> {
    let storeName = '';
    const member = await this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<Array<{ name: string; owner_mobile: string | null }>>`
        SELECT s.name, a.mobile AS owner_mobile FROM stores s JOIN accounts a ON a.id = s.seller_id
        WHERE s.id = ${storeId}::uuid FOR UPDATE OF s`;
      const store = rows[0];
      if (!store) throw new NotFoundError('Store');
      storeName = store.name;
      if (store.owner_mobile === input.mobile)
        throw new ConflictError("That is the owner's own mobile: the owner is not staff.", 'owner-not-staff');
      if ((await tx.storeMember.count({ where: { storeId } })) >= MAX_STAFF) {
        throw new ConflictError(`A store has at most ${MAX_STAFF} staff.`, 'staff-limit');
      }
      try {
        return await tx.storeMember.create({
          data: { storeId, mobile: input.mobile, name: input.name ?? null, permissions: input.permissions },
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('That mobile is on the staff already.', 'staff-exists');
        throw err;
      }
    });
    await this.versions.accessChanged(storeId);
    this.notifications.staffAdded(member.mobile, storeName);
    return member;
  }

  list(storeId: string): Promise<StoreMember[]> {
    return this.db.storeMember.findMany({ where: { storeId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  async update(storeId: string, staffId: string, patch: { name?: string | null; permissions?: Permission[] }): Promise<StoreMember> {
    const { count } = await this.db.storeMember.updateMany({ where: { id: staffId, storeId }, data: patch });
    if (count === 0) throw new NotFoundError('Staff member');
    await this.versions.accessChanged(storeId);
    return this.db.storeMember.findUniqueOrThrow({ where: { id: staffId } });
  }

  async remove(storeId: string, staffId: string): Promise<void> {
    const { count } = await this.db.storeMember.deleteMany({ where: { id: staffId, storeId } });
    if (count === 0) throw new NotFoundError('Staff member');
    await this.versions.accessChanged(storeId);
  }
}
