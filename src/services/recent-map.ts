/**
 * A Map bounded in size and in age, for per-instance caches: beyond `max` entries the least
 * recently stored goes, and an entry older than `maxAgeMs` is not returned.
 */
export class RecentMap<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();

  constructor(
    private readonly max: number,
    private readonly maxAgeMs = Infinity,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    return hit && this.now() - hit.at < this.maxAgeMs ? hit.value : undefined;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.now() });
    // A Map iterates oldest first.
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
