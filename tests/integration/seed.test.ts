import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { dropDatabase } from '../../scripts/lib/cleanup';

const run = promisify(execFile);

describe('npm run seed', () => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `${url.pathname}_seed`;
  let uploads: string;

  afterAll(() => dropDatabase(url.toString()));

  test('creates a seller, two stores and 40 products in 6 categories with images; running it again adds nothing', async () => {
    uploads = await mkdtemp(path.join(os.tmpdir(), 'seed-uploads-'));
    const env = { ...process.env, DATABASE_URL: url.toString(), UPLOAD_DIR: uploads, LOG_LEVEL: 'silent' };
    const tsx = path.resolve(__dirname, '../../node_modules/.bin/tsx');
    const script = path.resolve(__dirname, '../../scripts/seed.ts');
    const first = await run(tsx, [script], { env });
    expect(first.stdout).toMatch(/40 new products/);
    expect(first.stdout).toMatch(/sharma-general-store/);
    expect(first.stdout).toMatch(/Seller token[^\n]*\n\s+eyJ/);
    const second = await run(tsx, [script], { env });
    expect(second.stdout).toMatch(/0 new products/);

    const db = new Client({ connectionString: url.toString() });
    await db.connect();
    try {
      const count = async (sql: string) => Number((await db.query(sql)).rows[0].n);
      expect(await count('SELECT count(*) AS n FROM accounts')).toBe(1);
      expect(await count('SELECT count(*) AS n FROM stores')).toBe(2);
      expect(await count('SELECT count(*) AS n FROM categories')).toBe(6);
      expect(await count('SELECT count(*) AS n FROM products')).toBe(40);
      expect(await count('SELECT count(*) AS n FROM products WHERE image IS NULL OR image_variants IS NULL')).toBe(0);
      // Each image is stored once in PostgreSQL, with its variants and preview beside it.
      expect(await count("SELECT count(*) AS n FROM image_files WHERE content_type = 'image/png'")).toBe(40);
    } finally {
      await db.end();
    }
  }, 60_000);
});
