import type { CountryCode } from 'libphonenumber-js';
import type { Db } from '../db/prisma';
import { ValidationError } from '../domain/errors';
import { checkMobile } from '../domain/mobile';
import type { Account, Customer } from '../generated/prisma/client';
import { findOrCreate } from './find-or-create';
import type { OtpService } from './otp.service';
import type { RateLimiter } from './rate-limiter';
import type { SessionService, SessionTokens } from './session.service';
import type { Role } from './token.service';

/** A sign-in's answer: the new session's tokens, who signed in, and whether that made the account. */
export interface SignIn<T> {
  tokens: SessionTokens;
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
    private readonly sessions: SessionService,
    private readonly regions: { default: CountryCode; allowed: readonly CountryCode[] },
    private readonly limiter: RateLimiter,
    private readonly signIns: { perIp: number; windowSeconds: number },
  ) {}

  /** Every sign-in try from an address counts, right or wrong (OTP or OpenID): a script cannot mint accounts. */
  async countSignIn(ip: string): Promise<void> {
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

  async signInSeller(mobileInput: string, code: string, ip: string): Promise<SignIn<Account>> {
    const mobile = this.mobile(mobileInput);
    await this.countSignIn(ip);
    await this.otp.verify('seller', mobile, code);
    return this.open('seller', await this.sellerOf(mobile));
  }

  async signInCustomer(mobileInput: string, code: string, ip: string): Promise<SignIn<Customer>> {
    const mobile = this.mobile(mobileInput);
    await this.countSignIn(ip);
    await this.otp.verify('customer', mobile, code);
    return this.open('customer', await this.customerOf(mobile));
  }

  /** Checks a mobile and OTP exactly as the OTP sign-in does (for linking an OpenID identity). */
  async proveMobile(role: Role, mobileInput: string, code: string): Promise<string> {
    const mobile = this.mobile(mobileInput);
    await this.otp.verify(role, mobile, code);
    return mobile;
  }

  /** The seller account of a mobile, made on first sign-in (a deleted account's mobile is free again). */
  sellerOf(mobile: string): Promise<{ row: Account; created: boolean }> {
    return findOrCreate(
      () => this.db.account.findUnique({ where: { mobile } }),
      () => this.db.account.create({ data: { mobile } }),
    );
  }

  customerOf(mobile: string): Promise<{ row: Customer; created: boolean }> {
    return findOrCreate(
      () => this.db.customer.findUnique({ where: { mobile } }),
      () => this.db.customer.create({ data: { mobile } }),
    );
  }

  /** A new session for who signed in. */
  async open<T extends { id: string }>(role: Role, { row, created }: { row: T; created: boolean }): Promise<SignIn<T>> {
    return { tokens: await this.sessions.start(role, row.id), user: row, created };
  }
}
