// SingleFlightCache with loads and version reads the test resolves itself: each step happens when
// the test says so, never after a sleep.
import { SingleFlightCache } from '../../src/services/single-flight-cache';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every callback already due run (promise jobs and their follow-ups). */
const settle = () => new Promise((r) => setImmediate(r));

/** A loader whose loads stay open until the test ends them, one by one. */
function loads<V>() {
  const calls: Array<{ version: string | null; previous: V | undefined; done: Deferred<V> }> = [];
  const load = (version: string | null, previous: V | undefined) => {
    const done = deferred<V>();
    calls.push({ version, previous, done });
    return done.promise;
  };
  return { calls, load };
}

describe('SingleFlightCache', () => {
  let now = 0;
  let version = 'v1';
  const readVersion = async () => version;
  const cache = () => new SingleFlightCache<string, string>({ idOf: (v) => v, maxEntries: 10, maxAgeMs: 30_000, now: () => now });
  beforeEach(() => {
    now = 0;
    version = 'v1';
  });

  test('a value is loaded once and then served from the cache while the version is unchanged', async () => {
    const c = cache();
    const { calls, load } = loads<string>();
    const first = c.get('k', readVersion, load);
    await settle();
    calls[0]!.done.resolve('A');
    expect(await first).toBe('A');
    expect(await c.get('k', readVersion, load)).toBe('A');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.version).toBe('v1');
  });

  test('requests that miss together under one version share one load', async () => {
    const c = cache();
    const { calls, load } = loads<string>();
    const answers = Array.from({ length: 10 }, () => c.get('k', readVersion, load));
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]!.done.resolve('A');
    expect(await Promise.all(answers)).toEqual(Array(10).fill('A'));
  });

  test('changes during a load lead to one more load under the newest version, shared by every request that came meanwhile', async () => {
    const c = cache();
    const { calls, load } = loads<string>();
    const first = c.get('k', readVersion, load);
    await settle();
    const later: Array<Promise<string>> = [];
    for (const v of ['v2', 'v3', 'v4']) {
      version = v;
      later.push(c.get('k', readVersion, load), c.get('k', readVersion, load));
      await settle();
    }
    expect(calls).toHaveLength(1); // no second load beside the first
    calls[0]!.done.resolve('A1');
    expect(await first).toBe('A1');
    await settle();
    expect(calls.map((call) => call.version)).toEqual(['v1', 'v4']);
    expect(calls[1]!.previous).toBe('A1');
    calls[1]!.done.resolve('A4');
    expect(await Promise.all(later)).toEqual(Array(6).fill('A4'));
    expect(await c.get('k', readVersion, load)).toBe('A4');
    expect(calls).toHaveLength(2);
  });

  test('a request that read the version of the load under way is answered by that load, not the next', async () => {
    const c = cache();
    const { calls, load } = loads<string>();
    const first = c.get('k', readVersion, load);
    await settle();
    version = 'v2';
    const newer = c.get('k', readVersion, load);
    version = 'v1';
    const same = c.get('k', readVersion, load);
    await settle();
    calls[0]!.done.resolve('A1');
    expect(await same).toBe('A1');
    expect(await first).toBe('A1');
    await settle();
    // The follow-up load reads the version again: back at v1, which is cached now, so no load.
    expect(await newer).toBe('A1');
    expect(calls).toHaveLength(1);
  });

  test('a failed load fails every request waiting on it, is cached for nobody, and the next request loads again', async () => {
    const c = cache();
    const { calls, load } = loads<string>();
    const answers = Array.from({ length: 5 }, () => c.get('k', readVersion, load));
    await settle();
    calls[0]!.done.reject(new Error('PostgreSQL went away'));
    const results = await Promise.allSettled(answers);
    expect(results.map((r) => r.status)).toEqual(Array(5).fill('rejected'));
    const again = c.get('k', readVersion, load);
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]!.done.resolve('A');
    expect(await again).toBe('A');
  });

  test('a load that follows a failed one still runs, for the requests that waited for a newer version', async () => {
    const c = cache();
    const { calls, load } = loads<string>();
    const first = c.get('k', readVersion, load);
    await settle();
    version = 'v2';
    const newer = c.get('k', readVersion, load);
    calls[0]!.done.reject(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    await settle();
    calls[1]!.done.resolve('A2');
    expect(await newer).toBe('A2');
  });

  test('when the version cannot be read, the value is loaded without a version and not cached', async () => {
    const c = cache();
    const { calls, load } = loads<string>();
    const failing = async (): Promise<string> => {
      throw new Error('Redis is down');
    };
    const answer = c.get('k', failing, load);
    await settle();
    expect(calls[0]!.version).toBeNull();
    calls[0]!.done.resolve('uncached');
    expect(await answer).toBe('uncached');
    const next = c.get('k', readVersion, load);
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]!.done.resolve('A');
    expect(await next).toBe('A');
  });

  test('values are kept per key, under the part of the version idOf names', async () => {
    const c = new SingleFlightCache<string, { any: string; content: string }>({
      idOf: (v) => v.content,
      maxEntries: 10,
      maxAgeMs: 30_000,
      now: () => now,
    });
    let v = { any: 'a1', content: 'c1' };
    const read = async () => v;
    const { calls, load } = loads<string>();
    const first = c.get('x', read, (ver) => load(ver && ver.content, undefined));
    const other = c.get('y', read, (ver) => load(ver && ver.content, undefined));
    await settle();
    expect(calls).toHaveLength(2);
    calls[0]!.done.resolve('X');
    calls[1]!.done.resolve('Y');
    expect([await first, await other]).toEqual(['X', 'Y']);
    v = { any: 'a2', content: 'c1' };
    expect(await c.get('x', read, (ver) => load(ver && ver.content, undefined))).toBe('X');
    expect(calls).toHaveLength(2);
  });

  test('an entry older than maxAgeMs is loaded again, with the old value as previous', async () => {
    const c = cache();
    const { calls, load } = loads<string>();
    const first = c.get('k', readVersion, load);
    await settle();
    calls[0]!.done.resolve('A');
    await first;
    now = 30_000;
    const again = c.get('k', readVersion, load);
    await settle();
    expect(calls).toHaveLength(2);
    // Past its age the entry is neither served nor offered to build on.
    expect(calls[1]!.previous).toBeUndefined();
    calls[1]!.done.resolve('B');
    expect(await again).toBe('B');
  });

  test('beyond maxEntries the least recently stored key goes', async () => {
    const c = new SingleFlightCache<string, string>({ idOf: (v) => v, maxEntries: 2, maxAgeMs: 30_000, now: () => now });
    let count = 0;
    const load = async () => `value ${++count}`;
    for (const key of ['a', 'b', 'c']) await c.get(key, readVersion, load);
    expect(await c.get('c', readVersion, load)).toBe('value 3');
    expect(await c.get('b', readVersion, load)).toBe('value 2');
    expect(await c.get('a', readVersion, load)).toBe('value 4');
  });
});
