import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, ENV_VARIABLES, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  test('defaults give a runnable development setup', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      databaseUrl: 'postgresql://postgres:postgres@127.0.0.1:5432/dukaan',
      redisUrl: 'redis://127.0.0.1:6379/0',
      publicBaseUrl: 'http://localhost:3000',
      otp: { mode: 'bypass', perMobile: 5, perIp: 100 },
      uploadDir: './uploads',
      cartTtlSeconds: 604800,
      mobileRegion: 'IN',
      redisCommandTimeoutMs: 800,
    });
    expect(c.jwt.generated).toBe(true);
    expect(c.jwt.secret).toHaveLength(64);
  });

  test('PUBLIC_BASE_URL follows PORT and loses a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://shop.example/' }).publicBaseUrl).toBe('https://shop.example');
  });

  test('ACCESS_TOKEN_TTL and REFRESH_TOKEN_TTL take seconds or a unit; 15 minutes and 30 days by default', () => {
    expect(loadConfig({}).jwt).toMatchObject({ ttlSeconds: 900, refreshTtlSeconds: 30 * 86400 });
    expect(loadConfig({ ACCESS_TOKEN_TTL: '3600' }).jwt.ttlSeconds).toBe(3600);
    expect(loadConfig({ ACCESS_TOKEN_TTL: '2h' }).jwt.ttlSeconds).toBe(7200);
    expect(loadConfig({ REFRESH_TOKEN_TTL: '7d' }).jwt.refreshTtlSeconds).toBe(7 * 86400);
  });

  test.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ OTP_MODE: 'email' }, 'OTP_MODE'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ OTP_RATE_LIMIT_PER_MOBILE: '0' }, 'OTP_RATE_LIMIT_PER_MOBILE'],
    [{ ACCESS_TOKEN_TTL: 'forever' }, 'ACCESS_TOKEN_TTL'],
    [{ REFRESH_TOKEN_TTL: '0' }, 'REFRESH_TOKEN_TTL'],
    [{ OIDC_ISSUER: 'https://id.example.com' }, 'OIDC_ISSUER, OIDC_CLIENT_ID'],
    [{ MOBILE_DEFAULT_REGION: 'XX' }, 'MOBILE_DEFAULT_REGION'],
    [{ REDIS_COMMAND_TIMEOUT_MS: '0' }, 'REDIS_COMMAND_TIMEOUT_MS'],
  ])('when %p is invalid, then the error names %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  test('production requires a JWT_SECRET of at least 32 characters', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', OTP_MODE: 'sms' })).toThrow('JWT_SECRET');
    expect(() => loadConfig({ NODE_ENV: 'production', OTP_MODE: 'sms', JWT_SECRET: 'short' })).toThrow('JWT_SECRET');
    expect(loadConfig({ NODE_ENV: 'production', OTP_MODE: 'sms', JWT_SECRET: 'x'.repeat(32) }).jwt.generated).toBe(false);
  });

  test('production refuses OTP_MODE=bypass (the default) unless OTP_BYPASS_ALLOWED=true', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };
    expect(() => loadConfig(production)).toThrow(/OTP_MODE: bypass lets anyone sign in/);
    expect(() => loadConfig({ ...production, OTP_BYPASS_ALLOWED: 'false' })).toThrow(ConfigError);
    expect(loadConfig({ ...production, OTP_BYPASS_ALLOWED: 'true' }).otp.mode).toBe('bypass');
    expect(loadConfig({ ...production, OTP_MODE: 'sms' }).otp.mode).toBe('sms');
    // Outside production bypass stays the easy default.
    expect(loadConfig({}).otp.mode).toBe('bypass');
  });

  test('TRUST_PROXY takes a hop count or trusted addresses, never true', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,::1' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.7', '::1']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: a hop count or trusted proxy addresses, never true/);
    expect(() => loadConfig({ TRUST_PROXY: 'loopback-ish' })).toThrow('TRUST_PROXY');
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' })).toThrow('TRUST_PROXY');
  });

  test("the abuse limits have the contract's defaults and can each be set", () => {
    expect(loadConfig({})).toMatchObject({
      mobileAllowedRegions: ['IN'],
      emptyCartTtlSeconds: 3600,
      otp: { wrongPerMobile: 10 },
      limits: {
        signInsPerIp: 60,
        signInWindowSeconds: 900,
        cartsPerIpPerMinute: 120,
        openOrdersPerCustomer: 10,
        storeImageQuotaBytes: 1024 * 1024 * 1024,
      },
    });
    expect(loadConfig({ MOBILE_ALLOWED_REGIONS: 'in, gb' }).mobileAllowedRegions).toEqual(['IN', 'GB']);
    expect(() => loadConfig({ MOBILE_ALLOWED_REGIONS: 'IN,XX' })).toThrow('MOBILE_ALLOWED_REGIONS');
    expect(loadConfig({ STORE_IMAGE_QUOTA_MB: '2' }).limits.storeImageQuotaBytes).toBe(2 * 1024 * 1024);
  });

  test('.env.example sets or describes every variable the server reads', () => {
    const example = readFileSync(path.join(__dirname, '../../.env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect(ENV_VARIABLES.length).toBeGreaterThan(30);
    expect(ENV_VARIABLES.filter((v) => !listed.has(v))).toEqual([]);
  });
});
