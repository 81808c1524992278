// `npm run check:production`: installs and boots the server as the Docker image does, so that a
// runtime dependency declared as a dev dependency (or missing from the lock) fails here, not in a
// user's `docker compose up`. Into an empty folder outside the repository: package.json and the
// lock, `npm ci --omit=dev --ignore-scripts`, the built dist/, the migrations and bin/; then the
// server starts there in production mode against PostgreSQL and Redis, and must answer /readyz 200
// and serve a storefront page.
// Prints "production install: 1 passed, 0 failed" (or 0 passed, 1 failed) for .ci/run.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteRedisPrefix, dropDatabase, runResources } from './lib/cleanup';
import { startServer } from './lib/server-process';

const ROOT = path.resolve(__dirname, '..');
/** What the image's runtime stage holds besides node_modules (see the Dockerfile). */
const IMAGE_FILES = ['package.json', 'package-lock.json', 'dist', 'prisma/migrations', 'bin'];

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dukaan-production-'));
  const { databaseUrl, redisUrl, prefix } = runResources('production', {
    databaseUrl: process.env.TEST_DATABASE_URL,
    redisUrl: process.env.TEST_REDIS_URL,
  });
  try {
    for (const file of IMAGE_FILES) cpSync(path.join(ROOT, file), path.join(dir, file), { recursive: true });
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
    const server = await startServer(
      {
        NODE_ENV: 'production',
        OTP_MODE: 'sms',
        JWT_SECRET: randomBytes(32).toString('hex'),
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: prefix,
        LOG_LEVEL: 'warn',
        UPLOAD_DIR: path.join(dir, 'uploads'),
      },
      { cwd: dir },
    );
    try {
      const ready = await fetch(`${server.url}/readyz`);
      if (ready.status !== 200) throw new Error(`/readyz answered ${ready.status}: ${await ready.text()}`);
      // The storefront's templates and script are files beside the build, not TypeScript: the
      // image must carry them (an HTML 404 page is rendered from them), and sharp must load.
      const page = await fetch(`${server.url}/no-such-store`);
      if (page.status !== 404 || !page.headers.get('content-type')?.startsWith('text/html')) {
        throw new Error(`the storefront's 404 page answered ${page.status} ${page.headers.get('content-type')}`);
      }
      const script = await fetch(`${server.url}/assets/storefront.js`);
      if (script.status !== 200) throw new Error(`/assets/storefront.js answered ${script.status}`);
      execFileSync(process.execPath, ['-e', "require('sharp')"], { cwd: dir, stdio: 'inherit' });
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(databaseUrl).catch(() => undefined);
    await deleteRedisPrefix(redisUrl, prefix).catch(() => undefined);
  }
}

main().then(
  () => console.log('production install: 1 passed, 0 failed'),
  (err: unknown) => {
    console.error(err);
    console.log('production install: 0 passed, 1 failed');
    process.exitCode = 1;
  },
);
