import type { Db } from '../db/prisma';
import { ConflictError, NotFoundError } from '../domain/errors';
import { Prisma } from '../generated/prisma/client';
import type { SessionService } from './session.service';
import type { StoreChanges } from './store-versions';

/** Orders a deletion waits for: the buyer or the seller still has something coming. */
const OPEN_STATUSES = ['PENDING', 'ACCEPTED', 'SHIPPED'] as const;

/**
 * Deleting an account, as one transaction plus its effects: every rule is checked and every row
 * changed in the transaction (a failure half-way leaves the account as it was); after the commit,
 * the ended sessions are made 401 on every instance and closed stores' caches are dropped. A
 * deletion retried after its effects failed redoes only the effects.
 */
export class AccountDeletion {
  constructor(
    private readonly db: Db,
    private readonly sessions: SessionService,
    private readonly stores: StoreChanges,
  ) {}

  /**
   * A seller: 409 while any store it owns has an open order. Its stores close (their links answer
   * 410; their slugs stay taken, so an old shared link never leads to another shop), its mobile is
   * freed to sign up again as a new account, its sessions and linked identities end.
   */
  async deleteSeller(accountId: string): Promise<void> {
    const done = await this.db.$transaction(async (tx) => {
      const account = await tx.account.findUnique({ where: { id: accountId }, select: { deletedAt: true } });
      if (!account) throw new NotFoundError('Account');
      if (account.deletedAt) return null;
      // An order being placed holds its store's row until it commits (the order's foreign key), so
      // after this lock the count below sees it; place_order refuses stores closed before it.
      const stores = await tx.$queryRaw<Array<{ id: string }>>`
        SELECT id FROM stores WHERE seller_id = ${accountId}::uuid AND closed_at IS NULL ORDER BY id FOR UPDATE`;
      const storeIds = stores.map((s) => s.id);
      const open = await tx.order.count({ where: { storeId: { in: storeIds }, status: { in: [...OPEN_STATUSES] } } });
      if (open > 0) {
        throw new ConflictError(
          `Your stores have ${open} open order${open === 1 ? '' : 's'}: deliver, reject or cancel ${open === 1 ? 'it' : 'them'} first.`,
          'open-orders',
        );
      }
      const now = new Date();
      await tx.store.updateMany({ where: { id: { in: storeIds } }, data: { closedAt: now } });
      await tx.account.update({ where: { id: accountId }, data: { mobile: null, deletedAt: now } });
      await tx.identity.deleteMany({ where: { role: 'seller', subjectId: accountId } });
      return { sessions: await this.sessions.endAllIn(tx, 'seller', accountId), storeIds };
    });
    await this.sessions.forget(done ? done.sessions : await this.sessions.allOf('seller', accountId));
    for (const storeId of done?.storeIds ?? []) await this.stores.changed(storeId);
  }

  /**
   * A customer: 409 while an order is open. Name, mobile and saved address are erased, and so is
   * the address on past orders; the orders stay with their sellers (lines, totals, history) under
   * the same customer id. The mobile can sign up again, as a new customer.
   */
  async deleteCustomer(customerId: string): Promise<void> {
    const sessions = await this.db.$transaction(async (tx) => {
      // An order being placed holds the customer's row until it commits (its foreign key).
      const rows = await tx.$queryRaw<Array<{ deleted_at: Date | null }>>`
        SELECT deleted_at FROM customers WHERE id = ${customerId}::uuid FOR UPDATE`;
      if (!rows[0]) throw new NotFoundError('Customer');
      if (rows[0].deleted_at) return null;
      const open = await tx.order.count({ where: { customerId, status: { in: [...OPEN_STATUSES] } } });
      if (open > 0) {
        throw new ConflictError(`You have ${open} open order${open === 1 ? '' : 's'}: wait for delivery, or cancel first.`, 'open-orders');
      }
      await tx.customer.update({
        where: { id: customerId },
        data: { mobile: null, name: null, address: Prisma.DbNull, deletedAt: new Date() },
      });
      await tx.order.updateMany({ where: { customerId }, data: { address: Prisma.DbNull } });
      await tx.identity.deleteMany({ where: { role: 'customer', subjectId: customerId } });
      return this.sessions.endAllIn(tx, 'customer', customerId);
    });
    await this.sessions.forget(sessions ?? (await this.sessions.allOf('customer', customerId)));
  }
}
