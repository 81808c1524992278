import type { Db } from '../db/prisma';
import { NotFoundError } from '../domain/errors';
import { Prisma, type Customer } from '../generated/prisma/client';
import { findOrCreate } from './find-or-create';

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  state?: string;
  pincode: string;
}

export class CustomerService {
  constructor(private readonly db: Db) {}

  /** The customer of a mobile, made when there is none; a name given fills an empty one. */
  async findOrCreate(mobile: string, name?: string): Promise<Customer> {
    const { row } = await findOrCreate(
      () => this.db.customer.findUnique({ where: { mobile } }),
      () => this.db.customer.create({ data: { mobile, name: name ?? null } }),
    );
    if (name && !row.name) return this.db.customer.update({ where: { id: row.id }, data: { name } });
    return row;
  }

  async get(customerId: string): Promise<Customer> {
    const customer = await this.db.customer.findUnique({ where: { id: customerId } });
    if (!customer) throw new NotFoundError('Customer');
    return customer;
  }

  /** `null` clears a field; an absent field is left as it is. */
  async update(customerId: string, patch: { name?: string | null; address?: Address | null }): Promise<Customer> {
    const data: Prisma.CustomerUpdateManyMutationInput = {};
    if (patch.name !== undefined) data.name = patch.name;
    // A JSON column's SQL NULL is spelled DbNull in Prisma.
    if (patch.address !== undefined) data.address = patch.address === null ? Prisma.DbNull : { ...patch.address };
    const { count } = await this.db.customer.updateMany({ where: { id: customerId }, data });
    if (count === 0) throw new NotFoundError('Customer');
    return this.get(customerId);
  }
}
