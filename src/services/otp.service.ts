import { createHmac, randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ServiceUnavailableError, UnauthorizedError } from '../domain/errors';
import type { Config } from '../config';
import type { RateLimiter } from './rate-limiter';
import type { SmsProvider } from './sms/sms-provider';
import type { Role } from './token.service';

// Check and consume in one step: two racing verifications of one code cannot both succeed, and
// every wrong try counts. Returns 1 (accepted), 0 (wrong), -1 (none pending).
const VERIFY = `
local hash = redis.call('HGET', KEYS[1], 'hash')
if not hash then return -1 end
if hash == ARGV[1] then redis.call('DEL', KEYS[1]); return 1 end
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if attempts >= tonumber(ARGV[2]) then redis.call('DEL', KEYS[1]) end
return 0
`;

export interface OtpSettings {
  otp: Config['otp'];
  /** Keys the OTP hashes, so a copy of Redis does not give away codes by brute force. */
  secret: string;
}

/**
 * One-time passwords. In `bypass` mode (the default, for development and the assignment) any
 * well-formed code is accepted; in `sms` mode only the last one sent, unexpired and unused.
 * Requests are rate limited per mobile (shared by sellers and customers: it is the phone that
 * gets the SMS) and per client IP, in Redis so the limits hold across instances.
 */
export class OtpService {
  constructor(
    private readonly redis: Redis,
    private readonly limiter: RateLimiter,
    private readonly sms: SmsProvider,
    private readonly settings: OtpSettings,
  ) {}

  async request(role: Role, mobile: string, ip: string): Promise<{ expiresInSeconds: number }> {
    const { otp } = this.settings;
    await this.limiter.hit(
      [
        { key: `otp:mobile:${mobile}`, max: otp.perMobile, windowSeconds: otp.windowSeconds },
        { key: `otp:ip:${ip}`, max: otp.perIp, windowSeconds: otp.windowSeconds },
      ],
      'Too many OTP requests. Try again later.',
    );
    if (otp.mode === 'sms') {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      // A new code replaces the previous one and resets its attempts.
      await this.redis
        .multi()
        .del(this.key(role, mobile))
        .hset(this.key(role, mobile), 'hash', this.hash(role, mobile, code), 'attempts', 0)
        .expire(this.key(role, mobile), otp.ttlSeconds)
        .exec();
      try {
        await this.sms.send(mobile, `${code} is your Dukaan verification code. It expires in ${Math.round(otp.ttlSeconds / 60)} minutes.`);
      } catch {
        throw new ServiceUnavailableError('The SMS could not be sent. Try again shortly.');
      }
    }
    return { expiresInSeconds: otp.ttlSeconds };
  }

  /**
   * Accepts the code or throws 401. In sms mode wrong codes spend a budget per mobile across
   * codes (OTP_WRONG_PER_MOBILE an hour): a new code does not give a guesser five new tries.
   */
  async verify(role: Role, mobile: string, code: string): Promise<void> {
    if (this.settings.otp.mode === 'bypass') return;
    const budget = { key: `otp:wrong:${mobile}`, max: this.settings.otp.wrongPerMobile, windowSeconds: 3600 };
    await this.limiter.check(budget, 'Too many wrong OTPs for this number. Try again later.');
    const result = (await this.redis.eval(
      VERIFY,
      1,
      this.key(role, mobile),
      this.hash(role, mobile, code),
      String(this.settings.otp.maxAttempts),
    )) as number;
    if (result !== 1) {
      await this.limiter.spend(budget);
      throw new UnauthorizedError('The OTP is wrong, expired or already used.', 'invalid-otp');
    }
  }

  private key(role: Role, mobile: string): string {
    return `otp:code:${role}:${mobile}`;
  }

  private hash(role: Role, mobile: string, code: string): string {
    return createHmac('sha256', this.settings.secret).update(`${role}:${mobile}:${code}`).digest('hex');
  }
}
