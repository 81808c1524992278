import type { Db } from '../db/prisma';
import { NotFoundError } from '../domain/errors';
import type { Account } from '../generated/prisma/client';

export class SellerService {
  constructor(private readonly db: Db) {}

  async get(accountId: string): Promise<Account> {
    const account = await this.db.account.findUnique({ where: { id: accountId } });
    if (!account) throw new NotFoundError('Account');
    return account;
  }
}
