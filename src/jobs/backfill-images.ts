// `npm run images:backfill`: gives uploads made before images moved into PostgreSQL their
// variants and link preview, and moves them off the instance's disk (services/images/image-backfill.ts).
// Run it once after upgrading, from a machine that has the old UPLOAD_DIR; running it again is harmless.
import pino from 'pino';
import { loadConfigOrExit } from '../config';
import { migrate } from '../db/migrate';
import { createPrisma } from '../db/prisma';
import { ImageBackfill } from '../services/images/image-backfill';
import { ImageStore, PgImageFiles } from '../services/images/image-store';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = pino({ level: config.logLevel });
  // The columns it fills come with a migration: apply it, as the server does at start.
  await migrate(config.databaseUrl);
  const db = createPrisma(config.databaseUrl);
  try {
    const result = await new ImageBackfill(db, new ImageStore(new PgImageFiles(db), config.uploadDir), logger).run();
    logger.info({ done: result.done, failed: result.failed.length }, 'image backfill finished');
    process.exitCode = result.failed.length > 0 ? 1 : 0;
  } finally {
    await db.$disconnect();
  }
}

void main();
