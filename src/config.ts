// Configuration: read from the environment once, at start, by one zod schema. Everything else
// receives a typed Config; nothing reads process.env on its own.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();
const regionCode = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine((v) => isSupportedCountry(v), 'an ISO 3166-1 region code such as IN');
const durationSeconds = z.string().regex(/^\d+[smhd]?$/, 'a number of seconds, or a number with s, m, h or d');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgresql://postgres:postgres@127.0.0.1:5432/dukaan'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379/0'),
  // Prefixes every Redis key of this deployment (tests give each run its own).
  REDIS_KEY_PREFIX: z.string().max(64).default('dukaan:'),
  // How long a Redis command may go unanswered before its request fails (503) rather than hangs.
  REDIS_COMMAND_TIMEOUT_MS: positiveInt.max(600_000).default(800),
  JWT_SECRET: z.string().min(1).optional(),
  // The access token's lifetime: short, since a refresh token gets the next one.
  ACCESS_TOKEN_TTL: durationSeconds.default('15m'),
  REFRESH_TOKEN_TTL: durationSeconds.default('30d'),
  // Event streams: open streams per client IP, the heartbeat comment, and how often stores with open
  // streams are checked for events whose signal was lost.
  STREAMS_PER_IP: positiveInt.default(20),
  EVENTS_HEARTBEAT_SECONDS: positiveInt.default(25),
  EVENTS_POLL_MS: positiveInt.default(1000),
  // Webhooks: tries per delivery, the first retry's delay (doubled each time: 8 tries at 675 s
  // span about a day), how long a receiver has to answer, and whether loopback and private
  // addresses may receive them (local development and tests only).
  WEBHOOK_ATTEMPTS: positiveInt.default(8),
  WEBHOOK_BACKOFF_MS: positiveInt.default(675_000),
  WEBHOOK_TIMEOUT_MS: positiveInt.default(10_000),
  WEBHOOK_ALLOW_PRIVATE_URLS: z.enum(['true', 'false']).default('false'),
  // OpenID Connect sign-in: the provider's issuer URL and the audience its ID tokens must name.
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(255).optional(),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  OTP_MODE: z.enum(['bypass', 'sms']).default('bypass'),
  OTP_RATE_LIMIT_PER_MOBILE: positiveInt.default(5),
  OTP_RATE_LIMIT_PER_IP: positiveInt.default(100),
  OTP_RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(900),
  // Region assumed for mobile numbers written without a country code.
  MOBILE_DEFAULT_REGION: regionCode.default('IN'),
  // Regions whose mobile numbers may sign in and receive SMS (comma-separated).
  MOBILE_ALLOWED_REGIONS: z
    .string()
    .default('IN')
    .transform((v) => v.split(',').filter((r) => r.trim()))
    .pipe(z.array(regionCode).min(1)),
  // With NODE_ENV=production, OTP_MODE=bypass (anyone signs in as anyone) needs this set to true.
  OTP_BYPASS_ALLOWED: z.enum(['true', 'false']).default('false'),
  // Sign-ins (OTP or OpenID) per client IP per window, and wrong OTPs per mobile per hour.
  AUTH_RATE_LIMIT_PER_IP: positiveInt.default(60),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(900),
  OTP_WRONG_PER_MOBILE: positiveInt.default(10),
  SMS_PROVIDER: z.enum(['console', 'http']).default('console'),
  // The http provider: an Africa's Talking-style API (form POST with username, to, message, from;
  // the key in an apiKey header).
  SMS_HTTP_URL: z.url({ protocol: /^https?$/ }).optional(),
  SMS_HTTP_API_KEY: z.string().min(1).optional(),
  SMS_HTTP_USERNAME: z.string().min(1).default('sandbox'),
  SMS_HTTP_SENDER: z.string().min(1).max(16).optional(),
  SMS_HTTP_TIMEOUT_MS: positiveInt.default(5_000),
  // Notification jobs: tries per SMS, and the first retry delay (doubled each time).
  SMS_ATTEMPTS: positiveInt.default(6),
  SMS_BACKOFF_MS: positiveInt.default(2_000),
  // Run the notification worker inside the API process (the default); set false when
  // `npm run worker` runs it on its own.
  WORKER_IN_PROCESS: z.enum(['true', 'false']).default('true'),
  UPLOAD_DIR: z.string().min(1).default('./uploads'),
  CART_TTL_SECONDS: positiveInt.default(7 * 24 * 3600),
  // A cart with no line lives this long; its first line gives it CART_TTL_SECONDS.
  EMPTY_CART_TTL_SECONDS: positiveInt.default(3600),
  // New carts per client IP per minute.
  CART_RATE_LIMIT_PER_IP: positiveInt.default(120),
  // PENDING orders a customer may hold in one store.
  OPEN_ORDERS_PER_CUSTOMER: positiveInt.default(10),
  // What one store's images may take on disk, in MiB.
  STORE_IMAGE_QUOTA_MB: positiveInt.default(1024),
  // Catalog renders at once per instance, so that buyers' uncached catalogs never take every
  // database connection seller and checkout requests need.
  CATALOG_RENDERS: positiveInt.default(2),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Browser origins allowed to call the API (comma-separated, or *). Empty: no CORS at all.
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim().replace(/\/+$/, ''))
        .filter(Boolean),
    )
    .refine(
      (list) => list.every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o)),
      'origins such as https://shop.example, comma-separated, or *',
    ),
  // Express's `trust proxy` when behind a load balancer, so per-IP limits see client IPs: a hop
  // count, or trusted proxy addresses / CIDRs (comma-separated). Never `true`: with it every
  // client could choose its own IP with X-Forwarded-For.
  TRUST_PROXY: z
    .string()
    .default('false')
    .refine((v) => v !== 'true', 'a hop count or trusted proxy addresses, never true (any client could pick its own IP)')
    .refine(
      (v) => v === 'false' || /^\d+$/.test(v) || v.split(',').every((a) => isIpOrCidr(a.trim())),
      'a hop count, or IP addresses / CIDRs, comma-separated',
    ),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
});

export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  redisCommandTimeoutMs: number;
  /** Access tokens (JWT) and the refresh tokens of sessions. */
  jwt: { secret: string; ttlSeconds: number; refreshTtlSeconds: number; generated: boolean };
  events: { streamsPerIp: number; heartbeatMs: number; pollMs: number };
  webhooks: { attempts: number; backoffMs: number; timeoutMs: number; allowPrivateUrls: boolean };
  /** OpenID Connect sign-in, when OIDC_ISSUER and OIDC_CLIENT_ID are both set. */
  oidc: { issuer: string; clientId: string } | null;
  publicBaseUrl: string;
  otp: {
    mode: 'bypass' | 'sms';
    perMobile: number;
    perIp: number;
    windowSeconds: number;
    ttlSeconds: number;
    maxAttempts: number;
    /** Wrong codes per mobile per hour, across codes. */
    wrongPerMobile: number;
  };
  mobileRegion: CountryCode;
  mobileAllowedRegions: CountryCode[];
  /** The abuse limits of the contract (API.md, "Abuse limits"). */
  limits: {
    signInsPerIp: number;
    signInWindowSeconds: number;
    cartsPerIpPerMinute: number;
    openOrdersPerCustomer: number;
    storeImageQuotaBytes: number;
    catalogRenders: number;
  };
  sms: {
    provider: 'console' | 'http';
    http: { url?: string; apiKey?: string; username: string; sender?: string; timeoutMs: number };
    attempts: number;
    backoffMs: number;
  };
  workerInProcess: boolean;
  uploadDir: string;
  cartTtlSeconds: number;
  emptyCartTtlSeconds: number;
  logLevel: string;
  trustProxy: false | number | string[];
  corsOrigins: string[];
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

function toSeconds(value: string): number {
  const unit = value.at(-1) ?? '';
  return unit in UNIT_SECONDS ? Number(value.slice(0, -1)) * UNIT_SECONDS[unit]! : Number(value);
}

function parseTrustProxy(value: string): false | number | string[] {
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((a) => a.trim());
}

function isIpOrCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/** Parses the environment; throws ConfigError naming every bad variable. */
/** For the entry points (server, worker, backfill): the configuration, or its message and exit 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}

/** Every environment variable the server reads (`.env.example` describes each; a test checks it). */
export const ENV_VARIABLES = Object.keys(envSchema.shape);

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && (!e.JWT_SECRET || e.JWT_SECRET.length < 32)) {
    throw new ConfigError('Invalid configuration:\n  JWT_SECRET: required in production, at least 32 characters');
  }
  if (e.SMS_PROVIDER === 'http' && (!e.SMS_HTTP_URL || !e.SMS_HTTP_API_KEY)) {
    throw new ConfigError('Invalid configuration:\n  SMS_HTTP_URL, SMS_HTTP_API_KEY: required when SMS_PROVIDER=http');
  }
  if (e.NODE_ENV === 'production' && e.OTP_MODE === 'bypass' && e.OTP_BYPASS_ALLOWED !== 'true') {
    throw new ConfigError(
      'Invalid configuration:\n  OTP_MODE: bypass lets anyone sign in as anyone; in production set OTP_MODE=sms, or OTP_BYPASS_ALLOWED=true for a demo',
    );
  }
  const ttlSeconds = toSeconds(e.ACCESS_TOKEN_TTL);
  if (ttlSeconds <= 0) throw new ConfigError('Invalid configuration:\n  ACCESS_TOKEN_TTL: must be positive');
  const refreshTtlSeconds = toSeconds(e.REFRESH_TOKEN_TTL);
  if (refreshTtlSeconds <= 0) throw new ConfigError('Invalid configuration:\n  REFRESH_TOKEN_TTL: must be positive');
  if ((e.OIDC_ISSUER === undefined) !== (e.OIDC_CLIENT_ID === undefined)) {
    throw new ConfigError('Invalid configuration:\n  OIDC_ISSUER, OIDC_CLIENT_ID: set both for OpenID Connect sign-in, or neither');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    jwt: {
      // Outside production a per-process secret keeps a fresh clone runnable; tokens then die
      // with the process, which server.ts warns about.
      secret: e.JWT_SECRET ?? randomBytes(32).toString('hex'),
      ttlSeconds,
      refreshTtlSeconds,
      generated: e.JWT_SECRET === undefined,
    },
    events: { streamsPerIp: e.STREAMS_PER_IP, heartbeatMs: e.EVENTS_HEARTBEAT_SECONDS * 1000, pollMs: e.EVENTS_POLL_MS },
    webhooks: {
      attempts: e.WEBHOOK_ATTEMPTS,
      backoffMs: e.WEBHOOK_BACKOFF_MS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      allowPrivateUrls: e.WEBHOOK_ALLOW_PRIVATE_URLS === 'true',
    },
    oidc: e.OIDC_ISSUER && e.OIDC_CLIENT_ID ? { issuer: e.OIDC_ISSUER.replace(/\/+$/, ''), clientId: e.OIDC_CLIENT_ID } : null,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    otp: {
      mode: e.OTP_MODE,
      perMobile: e.OTP_RATE_LIMIT_PER_MOBILE,
      perIp: e.OTP_RATE_LIMIT_PER_IP,
      windowSeconds: e.OTP_RATE_LIMIT_WINDOW_SECONDS,
      ttlSeconds: 300,
      maxAttempts: 5,
      wrongPerMobile: e.OTP_WRONG_PER_MOBILE,
    },
    mobileRegion: e.MOBILE_DEFAULT_REGION as CountryCode,
    mobileAllowedRegions: e.MOBILE_ALLOWED_REGIONS as CountryCode[],
    limits: {
      signInsPerIp: e.AUTH_RATE_LIMIT_PER_IP,
      signInWindowSeconds: e.AUTH_RATE_LIMIT_WINDOW_SECONDS,
      cartsPerIpPerMinute: e.CART_RATE_LIMIT_PER_IP,
      openOrdersPerCustomer: e.OPEN_ORDERS_PER_CUSTOMER,
      storeImageQuotaBytes: e.STORE_IMAGE_QUOTA_MB * 1024 * 1024,
      catalogRenders: e.CATALOG_RENDERS,
    },
    sms: {
      provider: e.SMS_PROVIDER,
      http: {
        url: e.SMS_HTTP_URL,
        apiKey: e.SMS_HTTP_API_KEY,
        username: e.SMS_HTTP_USERNAME,
        sender: e.SMS_HTTP_SENDER,
        timeoutMs: e.SMS_HTTP_TIMEOUT_MS,
      },
      attempts: e.SMS_ATTEMPTS,
      backoffMs: e.SMS_BACKOFF_MS,
    },
    workerInProcess: e.WORKER_IN_PROCESS === 'true',
    uploadDir: e.UPLOAD_DIR,
    cartTtlSeconds: e.CART_TTL_SECONDS,
    emptyCartTtlSeconds: e.EMPTY_CART_TTL_SECONDS,
    logLevel: e.LOG_LEVEL,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    corsOrigins: e.CORS_ORIGINS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}
