import { RecentMap } from '../../src/services/recent-map';

describe('RecentMap', () => {
  afterEach(() => jest.useRealTimers());

  test('beyond its bound, the least recently stored entry goes', () => {
    const map = new RecentMap<number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3); // stored again: now the most recent
    map.set('c', 4);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([3, undefined, 4]);
  });

  test('an entry older than the age bound is not returned', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const map = new RecentMap<string>(10, 30_000);
    map.set('k', 'v');
    jest.setSystemTime(1_000_000 + 29_999);
    expect(map.get('k')).toBe('v');
    jest.setSystemTime(1_000_000 + 30_000);
    expect(map.get('k')).toBeUndefined();
  });
});
