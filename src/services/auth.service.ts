import type { CountryCode } from 'libphonenumber-js';
import type { Db } from '../db/prisma';
import { ValidationError } from '../domain/errors';
import { normaliseMobile } from '../domain/mobile';
import type { Account, Customer } from '../generated/prisma/client';
import { findOrCreate } from './find-or-create';
import type { OtpService } from './otp.service';
import type { Role, TokenService } from './token.service';

export interface Session<T> {
  token: string;
  user: T;
  created: boolean;
}

/** Sign-in by mobile number and OTP; the first sign-in creates the account. */
export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly otp: OtpService,
    private readonly tokens: TokenService,
    private readonly region: CountryCode,
  ) {}

  mobile(input: string): string {
    const mobile = normaliseMobile(input, this.region);
    if (!mobile) throw new ValidationError([{ path: 'mobile', message: 'must be a valid mobile number' }]);
    return mobile;
  }

  async requestOtp(role: Role, mobileInput: string, ip: string): Promise<{ mobile: string; expiresInSeconds: number }> {
    const mobile = this.mobile(mobileInput);
    const { expiresInSeconds } = await this.otp.request(role, mobile, ip);
    return { mobile, expiresInSeconds };
  }

  async signInSeller(mobileInput: string, code: string): Promise<Session<Account>> {
    const mobile = this.mobile(mobileInput);
    await this.otp.verify('seller', mobile, code);
    const { row, created } = await findOrCreate(
      () => this.db.account.findUnique({ where: { mobile } }),
      () => this.db.account.create({ data: { mobile } }),
    );
    return { token: this.tokens.issue({ sub: row.id, role: 'seller' }), user: row, created };
  }

  async signInCustomer(mobileInput: string, code: string): Promise<Session<Customer>> {
    const mobile = this.mobile(mobileInput);
    await this.otp.verify('customer', mobile, code);
    const { row, created } = await findOrCreate(
      () => this.db.customer.findUnique({ where: { mobile } }),
      () => this.db.customer.create({ data: { mobile } }),
    );
    return { token: this.tokens.issue({ sub: row.id, role: 'customer' }), user: row, created };
  }
}
