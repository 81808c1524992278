import { etagOf } from '../../src/domain/etag';
import { matchesIfNoneMatch } from '../../src/http/conditional';

describe('conditional requests', () => {
  const etag = etagOf('{"a":1}');

  test('an ETag is a strong, quoted tag that follows the bytes', () => {
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(etagOf('{"a":1}')).toBe(etag);
    expect(etagOf('{"a":2}')).not.toBe(etag);
  });

  test.each([
    [etag, true],
    [`W/${etag}`, true],
    [`"x", ${etag}`, true],
    ['*', true],
    [' * ', true],
    ['"x"', false],
    ['', false],
    [undefined, false],
    [etag.slice(0, -1), false],
  ])('If-None-Match %p matches: %p', (header, expected) => {
    expect(matchesIfNoneMatch(header, etag)).toBe(expected);
  });
});
