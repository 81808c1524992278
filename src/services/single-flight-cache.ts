import { RecentMap } from './recent-map';

/**
 * Loads a value: `version` is what it will be cached under (null when the version could not be
 * read: the value is then not cached), `previous` the value cached for the key before, under any
 * version, which the loader may build on.
 */
export type Loader<V, Version> = (version: Version | null, previous: V | undefined) => Promise<V>;

interface Entry<V> {
  value: V;
  id: string;
}

/** A load under way, and the one that follows it when requests wait for a newer version. */
interface Flight<V> {
  id: string;
  value: Promise<V>;
  next?: Promise<V>;
}

export interface SingleFlightOptions<Version> {
  /** The part of a version this cache's values depend on: equal ids, same value. */
  idOf(version: Version): string;
  maxEntries: number;
  /** Entries older than this are loaded again: the bound on staleness if a version write was lost. */
  maxAgeMs: number;
  now?: () => number;
}

const ignore = (): undefined => undefined;

/**
 * A per-instance cache of values that are valid while a shared version (kept elsewhere, read by
 * `readVersion`) is unchanged, with at most one load per key at a time:
 *
 * - a value cached under the current version is returned as it is;
 * - requests that miss under the version of the load under way wait for that load;
 * - requests that miss under a newer version (a change committed since the load began) wait for
 *   it to end and then share one more load, started under the version current by then. So loads
 *   follow the load time, not the rate of changes, and each request gets a value at least as new
 *   as the version it read;
 * - a failed load is cached for nobody: its waiters get its error, the next request loads again;
 * - when the version cannot be read, the cache is bypassed, never trusted.
 */
export class SingleFlightCache<V, Version> {
  private readonly entries: RecentMap<Entry<V>>;
  private readonly flights = new Map<string, Flight<V>>();

  constructor(private readonly options: SingleFlightOptions<Version>) {
    this.entries = new RecentMap(options.maxEntries, options.maxAgeMs, options.now);
  }

  async get(key: string, readVersion: () => Promise<Version>, load: Loader<V, Version>): Promise<V> {
    let version: Version;
    try {
      version = await readVersion();
    } catch {
      return load(null, undefined);
    }
    const id = this.options.idOf(version);
    const hit = this.entries.get(key);
    if (hit?.id === id) return hit.value;
    const flight = this.flights.get(key);
    if (!flight) return this.start(key, version, load);
    if (flight.id === id) return flight.value;
    flight.next ??= flight.value.then(ignore, ignore).then(() => this.follow(key, flight, readVersion, load));
    return flight.next;
  }

  /** After `flight` ended: one load under the version current now, unless it is cached already. */
  private async follow(key: string, flight: Flight<V>, readVersion: () => Promise<Version>, load: Loader<V, Version>): Promise<V> {
    let version: Version;
    try {
      version = await readVersion();
    } catch {
      this.land(key, flight);
      return load(null, undefined);
    }
    const hit = this.entries.get(key);
    if (hit?.id === this.options.idOf(version)) {
      this.land(key, flight);
      return hit.value;
    }
    return this.start(key, version, load);
  }

  private start(key: string, version: Version, load: Loader<V, Version>): Promise<V> {
    const id = this.options.idOf(version);
    const flight: Flight<V> = { id, value: load(version, this.entries.get(key)?.value) };
    this.flights.set(key, flight);
    flight.value
      .then((value) => this.entries.set(key, { value, id }), ignore)
      .finally(() => {
        // A load waiting to follow takes the key over when it starts.
        if (!flight.next) this.land(key, flight);
      });
    return flight.value;
  }

  private land(key: string, flight: Flight<V>): void {
    if (this.flights.get(key) === flight) this.flights.delete(key);
  }
}
