// A store's version is read before anything cached under it is trusted: by every catalog, store
// page and seller request. Reads asked for in one turn of the event loop share one Redis read,
// sent at the end of the turn. What makes that safe is that the shared read leaves after every
// caller asked, so each caller still sees every change made before it asked. Redis here is the
// real one; MONITOR shows the commands it ran.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { StoreVersions, type StoreVersion } from '../../src/services/store-versions';

const logger = pino({ level: 'silent' });
let redis: Redis;
let versions: StoreVersions;

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL!);
  versions = new StoreVersions(redis, logger);
  await redis.ping();
});

afterAll(async () => {
  await redis.quit();
});

/** The commands Redis ran on `keys` while `work` ran, as "command key" (MONITOR, on a connection of its own, up to a sentinel sent after it). */
async function commandsOn(keys: string[], work: () => Promise<unknown>): Promise<string[]> {
  const monitor = await redis.monitor();
  const seen: string[] = [];
  const sentinel = `sentinel:${randomUUID()}`;
  const done = new Promise<void>((resolve) => {
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (keys.includes(args[1]!)) seen.push(`${args[0]!.toLowerCase()} ${args[1]}`);
      if (args[1] === sentinel) resolve();
    });
  });
  try {
    await work();
    await redis.exists(sentinel);
    await done;
  } finally {
    monitor.disconnect();
  }
  return seen;
}

test('reads of a store asked in one turn share one Redis read; a read asked after it left has its own', async () => {
  const storeId = randomUUID();
  await versions.read(storeId); // made once, so only reads follow
  let together: unknown[] = [];
  let after: unknown;
  const key = StoreVersions.key(storeId);
  const commands = await commandsOn([key], async () => {
    together = await Promise.all(Array.from({ length: 20 }, () => versions.read(storeId)));
    after = await versions.read(storeId);
  });
  expect(commands).toEqual([`hgetall ${key}`, `hgetall ${key}`]);
  expect(new Set(together.map((v) => JSON.stringify(v))).size).toBe(1);
  expect(after).toEqual(together[0]);
});

test('stores read in the same turn are each read once, and each caller gets its own store', async () => {
  const [one, two] = [randomUUID(), randomUUID()];
  await Promise.all([versions.read(one), versions.read(two)]);
  let reads: StoreVersion[] = [];
  const commands = await commandsOn([StoreVersions.key(one), StoreVersions.key(two)], async () => {
    reads = await Promise.all([versions.read(one), versions.read(two), versions.read(one), versions.read(two)]);
  });
  expect(commands.sort()).toEqual([`hgetall ${StoreVersions.key(one)}`, `hgetall ${StoreVersions.key(two)}`].sort());
  const [a1, b1, a2, b2] = reads;
  expect(a2).toEqual(a1);
  expect(b2).toEqual(b1);
  expect(a1!.any).not.toBe(b1!.any);
});

test('a change made after a read was asked for is in what that read returns (the shared read leaves later, never earlier)', async () => {
  const storeId = randomUUID();
  await versions.changed(storeId);
  const before = await versions.read(storeId);
  const pending = versions.read(storeId);
  // Sent on the same connection at once, so Redis runs it before the read, which leaves at the end of the turn.
  await versions.changed(storeId);
  const read = await pending;
  expect(read.any).not.toBe(before.any);
  expect(read.content).not.toBe(before.content);
  expect(await versions.read(storeId)).toEqual(read);
});

test('a store never changed gets a version on its first read, the same for every caller of the turn', async () => {
  const storeId = randomUUID();
  const reads = await Promise.all([versions.read(storeId), versions.read(storeId), versions.read(storeId)]);
  expect(reads[0]).toEqual({ any: expect.any(String), content: expect.any(String), access: expect.any(String) });
  expect(reads[1]).toEqual(reads[0]);
  expect(reads[2]).toEqual(reads[0]);
  expect(await versions.read(storeId)).toEqual(reads[0]);
});

test('when Redis cannot be reached, every caller of the turn gets its error, and the next turn reads again', async () => {
  const offline = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  const unreachable = new StoreVersions(offline, logger);
  const storeId = randomUUID();
  /** What a read rejected with ('resolved' if it did not, which fails the checks below). */
  const failed = (read: Promise<StoreVersion>) =>
    read.then(
      () => 'resolved',
      (err: unknown) => err,
    );
  const [first, second] = await Promise.all([failed(unreachable.read(storeId)), failed(unreachable.read(storeId))]);
  // The one read's error, as ioredis gave it (unwrapped, so the error handler still maps it to 503).
  expect(first).toBeInstanceOf(Error);
  expect((first as Error).message).toMatch(/writeable|connect|closed/i);
  expect(second).toBe(first);
  const next = await failed(unreachable.read(storeId));
  expect(next).toBeInstanceOf(Error);
  expect((next as Error).message).toMatch(/writeable|connect|closed/i);
  expect(next).not.toBe(first);
  offline.disconnect();
});
