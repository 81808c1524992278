import type { Db } from '../db/prisma';
import { NotFoundError, ServiceUnavailableError, UnauthorizedError, ValidationError } from '../domain/errors';
import type { Account, Customer } from '../generated/prisma/client';
import type { AuthService, SignIn } from './auth.service';
import { isUniqueViolation } from './prisma-errors';
import type { Role } from './token.service';

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
type KeySet = ReturnType<Jose['createRemoteJWKSet']>;

/** Asymmetric algorithms only: `none` and HMAC (an HS256 token "signed" with the public key) never verify. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** How soon after fetching the keys an unknown `kid` may make us fetch them again. */
  jwksCooldownMs?: number;
  timeoutMs?: number;
}

export interface OidcSignInInput {
  idToken: string;
  mobile?: string;
  otp?: string;
}

const INVALID = () => new UnauthorizedError('The ID token is not valid for this service.');

/**
 * Sign-in with an ID token from the configured OpenID provider (OIDC_ISSUER), for apps that sign
 * people in on the device (Firebase phone auth, Auth0, Keycloak, ...). The token is verified by
 * jose against the issuer's published keys (discovered once from its openid-configuration; kept
 * and fetched again when a token names a key id not among them, which is how a provider rotates
 * its keys), its `iss`, its `aud` and its expiry. An identity (iss, sub) is linked on its first
 * sign-in to the account of a mobile: the token's verified phone_number, else a mobile and OTP
 * checked as the OTP sign-in checks them. Answers as the OTP sign-in does.
 */
export class OidcSignIn {
  private keys?: Promise<{ jose: Jose; keySet: KeySet }>;

  constructor(
    private readonly settings: OidcSettings | null,
    private readonly db: Db,
    private readonly auth: AuthService,
  ) {}

  async signInSeller(input: OidcSignInInput, ip: string): Promise<SignIn<Account>> {
    const { iss, sub, mobile } = await this.verified(input, ip);
    const linked = await this.linked('seller', iss, sub);
    if (linked) {
      const account = await this.db.account.findUnique({ where: { id: linked } });
      if (account && !account.deletedAt) return this.auth.open('seller', { row: account, created: false });
    }
    const found = await this.auth.sellerOf(await this.mobileOf('seller', input, mobile));
    await this.link('seller', iss, sub, found.row.id);
    return this.auth.open('seller', found);
  }

  async signInCustomer(input: OidcSignInInput, ip: string): Promise<SignIn<Customer>> {
    const { iss, sub, mobile } = await this.verified(input, ip);
    const linked = await this.linked('customer', iss, sub);
    if (linked) {
      const customer = await this.db.customer.findUnique({ where: { id: linked } });
      if (customer && !customer.deletedAt) return this.auth.open('customer', { row: customer, created: false });
    }
    const found = await this.auth.customerOf(await this.mobileOf('customer', input, mobile));
    await this.link('customer', iss, sub, found.row.id);
    return this.auth.open('customer', found);
  }

  /** The token's issuer, subject and verified phone number, or 401. */
  private async verified(input: OidcSignInInput, ip: string): Promise<{ iss: string; sub: string; mobile: string | null }> {
    if (!this.settings) throw new NotFoundError('Route');
    await this.auth.countSignIn(ip);
    const { jose, keySet } = await this.keySet();
    let payload: Awaited<ReturnType<Jose['jwtVerify']>>['payload'];
    try {
      ({ payload } = await jose.jwtVerify(input.idToken, keySet, {
        issuer: this.settings.issuer,
        audience: this.settings.clientId,
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (err) {
      // The provider's keys could not be fetched: not the caller's fault.
      if (err instanceof jose.errors.JWKSTimeout || (err instanceof Error && /fetch failed|ECONNREFUSED/.test(err.message))) {
        throw new ServiceUnavailableError('The sign-in provider could not be reached. Try again shortly.');
      }
      throw INVALID();
    }
    const phone = typeof payload.phone_number === 'string' && payload.phone_number_verified === true ? payload.phone_number : null;
    return { iss: payload.iss!, sub: payload.sub!, mobile: phone };
  }

  private async mobileOf(role: Role, input: OidcSignInInput, verifiedPhone: string | null): Promise<string> {
    if (verifiedPhone) return this.auth.mobile(verifiedPhone);
    if (input.mobile === undefined || input.otp === undefined) {
      throw new ValidationError([
        { path: 'mobile', message: 'is required with otp on the first sign-in, unless the ID token carries a verified phone_number' },
      ]);
    }
    return this.auth.proveMobile(role, input.mobile, input.otp);
  }

  private async linked(role: Role, issuer: string, subject: string): Promise<string | null> {
    const identity = await this.db.identity.findUnique({ where: { role_issuer_subject: { role, issuer, subject } } });
    return identity?.subjectId ?? null;
  }

  /** Links an identity to an account; relinks one whose account was deleted; a racing first sign-in keeps the winner's link. */
  private async link(role: Role, issuer: string, subject: string, subjectId: string): Promise<void> {
    try {
      await this.db.identity.upsert({
        where: { role_issuer_subject: { role, issuer, subject } },
        create: { role, issuer, subject, subjectId },
        update: { subjectId },
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }

  /** The issuer's keys: jose keeps them, and fetches them again for a key id it has not seen. */
  private keySet(): Promise<{ jose: Jose; keySet: KeySet }> {
    this.keys ??= this.discover().catch((err: unknown) => {
      this.keys = undefined;
      throw err;
    });
    return this.keys;
  }

  private async discover(): Promise<{ jose: Jose; keySet: KeySet }> {
    const settings = this.settings!;
    // jose is ESM-only; a dynamic import loads it from this CommonJS build.
    const jose = await import('jose');
    let jwksUri: string;
    try {
      const res = await fetch(`${settings.issuer}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(settings.timeoutMs ?? 5_000),
        redirect: 'error',
      });
      const metadata = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
      if (!res.ok || typeof metadata.jwks_uri !== 'string' || metadata.issuer !== settings.issuer) throw new Error('bad metadata');
      jwksUri = metadata.jwks_uri;
    } catch {
      throw new ServiceUnavailableError('The sign-in provider could not be reached. Try again shortly.');
    }
    const keySet = jose.createRemoteJWKSet(new URL(jwksUri), {
      cooldownDuration: settings.jwksCooldownMs ?? 5_000,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: settings.timeoutMs ?? 5_000,
    });
    return { jose, keySet };
  }
}
