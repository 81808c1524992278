// Settings every test process shares. The run's own database URL and Redis prefix are chosen
// once by global-setup and inherited from its environment.
import os from 'node:os';
import path from 'node:path';

export const BASE_TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
  PUBLIC_BASE_URL: 'http://shop.test',
  OTP_MODE: 'bypass',
  // Every test signs in from 127.0.0.1; rate-limit tests build an app with small limits.
  OTP_RATE_LIMIT_PER_IP: '1000000',
  OTP_RATE_LIMIT_PER_MOBILE: '1000000',
  AUTH_RATE_LIMIT_PER_IP: '1000000',
  CART_RATE_LIMIT_PER_IP: '1000000',
  // Tests place many orders per customer and store; the limit's own tests set it low.
  OPEN_ORDERS_PER_CUSTOMER: '1000000',
  UPLOAD_DIR: path.join(os.tmpdir(), 'dukaan-test-uploads'),
};
