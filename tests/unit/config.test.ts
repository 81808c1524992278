import { ConfigError, loadConfig } from '../../src/config';

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
    });
    expect(c.jwt.generated).toBe(true);
    expect(c.jwt.secret).toHaveLength(64);
  });

  test('PUBLIC_BASE_URL follows PORT and loses a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://shop.example/' }).publicBaseUrl).toBe('https://shop.example');
  });

  test('JWT_TTL takes seconds or a unit', () => {
    expect(loadConfig({ JWT_TTL: '3600' }).jwt.ttlSeconds).toBe(3600);
    expect(loadConfig({ JWT_TTL: '2h' }).jwt.ttlSeconds).toBe(7200);
  });

  test.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ OTP_MODE: 'email' }, 'OTP_MODE'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ OTP_RATE_LIMIT_PER_MOBILE: '0' }, 'OTP_RATE_LIMIT_PER_MOBILE'],
    [{ JWT_TTL: 'forever' }, 'JWT_TTL'],
    [{ MOBILE_DEFAULT_REGION: 'XX' }, 'MOBILE_DEFAULT_REGION'],
  ])('when %p is invalid, then the error names %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  test('production requires a JWT_SECRET of at least 32 characters', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('JWT_SECRET');
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow('JWT_SECRET');
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).jwt.generated).toBe(false);
  });
});
