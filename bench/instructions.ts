// `npm run bench:instructions`: the instructions the built server executes per request, counted
// by valgrind's callgrind, for a cart add and a cached catalog. A count barely moves with what
// else the machine is doing, where requests/s and CPU time move by ±15% between runs, so two
// trees can be told apart in a few runs. It does not see the kernel's work (system calls) nor
// memory stalls: it says whether the code does more or less, and `npm run bench` says how fast
// that is. Needs valgrind; the server runs ~50 times slower under it, so the loads are small.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureDatabase, migrate } from '../src/db/migrate';
import { deleteRedisPrefix, dropDatabase, runResources } from '../scripts/lib/cleanup';
import { startServer } from '../scripts/lib/server-process';
import { inBatches } from './in-batches';
import { seedStore } from './seed';

/** Requests before counting (until the JIT has compiled the paths) and counted, per scenario. */
const WARM = Number(process.env.BENCH_INSTRUCTIONS_WARM ?? 1500);
const COUNTED = Number(process.env.BENCH_INSTRUCTIONS_COUNTED ?? 1500);
/** Requests in flight: a few, so that turns of the event loop hold several, as under load. */
const CONCURRENCY = 8;
/** Carts the adds go round (each add is one unit of the next product), as in the bench's cart group. */
const CARTS = 150;

async function main(): Promise<void> {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('valgrind is not installed (Debian: apt-get install valgrind)');
  }
  const { databaseUrl, redisUrl, prefix } = runResources('instructions', {
    databaseUrl: process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
  });
  const out = mkdtempSync(path.join(tmpdir(), 'dukaan-callgrind-'));
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const shop = await seedStore(databaseUrl, 'instr-kirana', 200);
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    // A command waits for the slowed server's turn, not only for Redis.
    REDIS_COMMAND_TIMEOUT_MS: '60000',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('hex'),
    PUBLIC_BASE_URL: 'http://localhost:3000',
    CART_RATE_LIMIT_PER_IP: '1000000',
    // Nothing here signs in; production refuses the default OTP mode without this.
    OTP_BYPASS_ALLOWED: 'true',
  };
  // bin/node-server, as `npm start` runs it, under callgrind, which follows its exec into node and
  // counts each thread apart (the main thread, and V8's and libuv's helpers).
  const vgdbPrefix = `--vgdb-prefix=${path.join(out, 'vgdb')}`;
  const callgrind = ['valgrind', '--quiet', '--tool=callgrind', '--trace-children=yes', '--separate-threads=yes', '--vgdb=yes', vgdbPrefix];
  const server = await startServer(env, {
    quiet: true,
    launcher: [...callgrind, `--callgrind-out-file=${path.join(out, 'callgrind.%p')}`],
    readyWithinMs: 5 * 60_000,
  });
  // callgrind_control finds the process by the HOST it was started with (startServer sets it).
  const control = (...args: string[]) =>
    execFileSync('callgrind_control', [vgdbPrefix, ...args, String(server.child.pid)], {
      env: { ...process.env, HOST: '127.0.0.1' },
      stdio: 'ignore',
    });
  const url = server.url;
  try {
    const request = async (method: string, p: string, body?: unknown): Promise<unknown> => {
      const res = await fetch(`${url}/api/v1${p}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      if (res.status !== 200 && res.status !== 201) throw new Error(`${method} ${p} -> ${res.status} ${text}`);
      return JSON.parse(text);
    };
    const carts: string[] = [];
    for (let i = 0; i < CARTS; i++) carts.push(((await request('POST', '/carts', { storeLink: shop.slug })) as { id: string }).id);
    let adds = 0;
    const scenarios: Array<{ name: string; request: () => Promise<unknown> }> = [
      {
        name: 'cart add',
        request: () => {
          const i = adds++;
          const productId = shop.productIds[Math.floor(i / CARTS) % shop.productIds.length];
          return request('POST', `/carts/${carts[i % CARTS]}/items`, { productId, qty: 1, storeLink: shop.slug });
        },
      },
      { name: 'cached catalog, 200 products', request: () => request('GET', `/stores/${shop.slug}/catalog`) },
    ];
    const rows: string[] = [];
    for (const [n, scenario] of scenarios.entries()) {
      await inBatches(WARM, CONCURRENCY, scenario.request);
      control('--zero');
      await inBatches(COUNTED, CONCURRENCY, scenario.request);
      control(`--dump=${n}`);
      const threads = dumped(out, String(n));
      const all = threads.reduce((sum, t) => sum + t, 0);
      const per = (count: number) => (count / COUNTED / 1e6).toFixed(3);
      rows.push(`| ${scenario.name} | ${COUNTED} | ${per(all)} | ${per(threads[0]!)} | ${per(all - threads[0]!)} |`);
    }
    console.log('\n| scenario | requests counted | M instructions per request | main thread | other threads |');
    console.log('|---|---:|---:|---:|---:|');
    for (const row of rows) console.log(row);
  } finally {
    await server.stop();
    await dropDatabase(databaseUrl).catch(() => undefined);
    await deleteRedisPrefix(redisUrl, prefix).catch(() => undefined);
    rmSync(out, { recursive: true, force: true });
  }
}

/** The instructions of each thread in the dump called `name`, the main thread first. */
function dumped(dir: string, name: string): number[] {
  const threads: Array<{ thread: number; count: number }> = [];
  // Only callgrind's files: the folder also holds vgdb's FIFOs, which a read would wait on.
  for (const file of readdirSync(dir).filter((f) => f.startsWith('callgrind.'))) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    if (!text.includes(`desc: Trigger: dump ${name}\n`)) continue;
    const thread = /^thread: (\d+)$/m.exec(text)?.[1];
    const count = /^summary: (\d+)$/m.exec(text)?.[1];
    if (!thread || !count) throw new Error(`${file}: no thread or summary line`);
    threads.push({ thread: Number(thread), count: Number(count) });
  }
  if (threads.length === 0) throw new Error(`callgrind wrote no dump "${name}"`);
  return threads.sort((a, b) => a.thread - b.thread).map((t) => t.count);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
