// `npm run test:api`: the Postman collection against a real server. Starts the built server on a
// free port with a fresh database and Redis prefix, runs the collection with newman, stops the
// server and drops what it made. Prints "newman: N passed, N failed" (assertions) for .ci/run.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import newman from 'newman';
import { deleteRedisPrefix, dropDatabase, runResources } from './lib/cleanup';
import { startServer } from './lib/server-process';

async function main(): Promise<number> {
  const { runId, databaseUrl, redisUrl, prefix } = runResources('api', {
    databaseUrl: process.env.TEST_DATABASE_URL,
    redisUrl: process.env.TEST_REDIS_URL,
  });
  const server = await startServer({
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    JWT_SECRET: randomBytes(32).toString('hex'),
    OTP_MODE: 'bypass',
    UPLOAD_DIR: path.join(os.tmpdir(), `dukaan-api-${runId}`),
  });
  try {
    const summary = await new Promise<newman.NewmanRunSummary>((resolve, reject) => {
      newman.run(
        {
          collection: path.resolve(__dirname, '../postman/dukaan.postman_collection.json'),
          environment: path.resolve(__dirname, '../postman/dukaan.postman_environment.json'),
          envVar: [{ key: 'baseUrl', value: server.url }],
          workingDir: path.resolve(__dirname, '../postman'),
          reporters: ['cli'],
          timeoutRequest: 10_000,
        },
        (err, result) => (err ? reject(err) : resolve(result)),
      );
    });
    const { assertions, requests } = summary.run.stats;
    const failed =
      (assertions.failed ?? 0) + (requests.failed ?? 0) + summary.run.failures.filter((f) => f.error?.name !== 'AssertionError').length;
    const passed = (assertions.total ?? 0) - (assertions.failed ?? 0);
    console.log(`newman: ${passed} passed, ${failed} failed`);
    return failed === 0 && passed > 0 ? 0 : 1;
  } finally {
    await server.stop();
    await dropDatabase(databaseUrl);
    await deleteRedisPrefix(redisUrl, prefix);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    console.log('newman: 0 passed, 1 failed');
    process.exit(1);
  },
);
