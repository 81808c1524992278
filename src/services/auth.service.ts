import type { CountryCode } from 'libphonenumber-js';
import type { Db } from '../db/prisma';
import { ValidationError } from '../domain/errors';
import { checkMobile } from '../domain/mobile';
import type { Account, Customer } from '../generated/prisma/client';
import { findOrCreate } from './find-or-create';
import type { OtpService } from './otp.service';
import type { RateLimiter } from './rate-limiter';
import type { Role, TokenService } from './token.service';

export interface Session<T> {
  token: string;
  user: T;
  created: boolean;
}

const MOBILE_REFUSALS = {
  invalid: 'must be a valid mobile number',
  'not-mobile': 'must be a mobile number (not a landline, toll-free, premium-rate or shared-cost number)',
  region: 'must be a mobile number of a region this service sends SMS to',
} as const;

/** Sign-in by mobile number and OTP; the first sign-in creates the account. */
export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly otp: OtpService,
    private readonly tokens: TokenService,
    private readonly regions: { default: CountryCode; allowed: readonly CountryCode[] },
    private readonly limiter: RateLimiter,
    private readonly signIns: { perIp: number; windowSeconds: number },
  ) {}

  /** Every sign-in try from an address counts, right or wrong: a script cannot mint accounts. */
  private async countSignIn(ip: string): Promise<void> {
    await this.limiter.hit(
      [{ key: `signin:ip:${ip}`, max: this.signIns.perIp, windowSeconds: this.signIns.windowSeconds }],
      'Too many sign-ins from this address. Try again later.',
    );
  }

  /** The E.164 mobile, or 400 naming `mobile`: before any SMS is sent or any account made. */
  mobile(input: string): string {
    const checked = checkMobile(input, this.regions.default, this.regions.allowed);
    if ('mobile' in checked) return checked.mobile;
    throw new ValidationError([{ path: 'mobile', message: MOBILE_REFUSALS[checked.refused] }]);
  }

  async requestOtp(role: Role, mobileInput: string, ip: string): Promise<{ mobile: string; expiresInSeconds: number }> {
    const mobile = this.mobile(mobileInput);
    const { expiresInSeconds } = await this.otp.request(role, mobile, ip);
    return { mobile, expiresInSeconds };
  }

  async signInSeller(mobileInput: string, code: string, ip: string): Promise<Session<Account>> {
    const mobile = this.mobile(mobileInput);
    await this.countSignIn(ip);
    await this.otp.verify('seller', mobile, code);
    const { row, created } = await findOrCreate(
      () => this.db.account.findUnique({ where: { mobile } }),
      () => this.db.account.create({ data: { mobile } }),
    );
    return { token: this.tokens.issue({ sub: row.id, role: 'seller' }), user: row, created };
  }

  async signInCustomer(mobileInput: string, code: string, ip: string): Promise<Session<Customer>> {
    const mobile = this.mobile(mobileInput);
    await this.countSignIn(ip);
    await this.otp.verify('customer', mobile, code);
    const { row, created } = await findOrCreate(
      () => this.db.customer.findUnique({ where: { mobile } }),
      () => this.db.customer.create({ data: { mobile } }),
    );
    return { token: this.tokens.issue({ sub: row.id, role: 'customer' }), user: row, created };
  }
}
