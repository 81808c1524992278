import { baseSlug, MAX_SLUG_LENGTH, numberedSlug, randomSlug, RESERVED_SLUGS } from '../../src/domain/slug';

describe('slugs', () => {
  test.each([
    ['Ramesh Kirana', 'ramesh-kirana'],
    ['  Ramesh   Kirana!! ', 'ramesh-kirana'],
    ['Café Déjà Vu', 'cafe-deja-vu'],
    ['A & B Stores', 'a-and-b-stores'],
    ['Shop #1 -- Best', 'shop-1-best'],
  ])('%p becomes %p', (name, slug) => {
    expect(baseSlug(name)).toBe(slug);
  });

  test.each(['🛒🛍️', 'राम किराना', '!!!', '   '])('when the name %p slugifies to nothing, then it still gets a slug', (name) => {
    expect(baseSlug(name)).toBe('store');
  });

  test('reserved words are never slugs', () => {
    for (const word of ['api', 'docs', 'uploads', 'healthz', 'readyz', 'API', 'Docs']) {
      const slug = baseSlug(word);
      expect(RESERVED_SLUGS.has(slug)).toBe(false);
      expect(slug).toMatch(/^[a-z0-9-]+$/);
    }
  });

  test('slugs are ASCII, lowercase and bounded, suffixes included', () => {
    const long = baseSlug('x'.repeat(300));
    expect(long.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(numberedSlug(long, 12345).length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(numberedSlug('ramesh-kirana', 2)).toBe('ramesh-kirana-2');
    expect(randomSlug('ramesh-kirana')).toMatch(/^ramesh-kirana-[0-9a-f]{8}$/);
    expect(randomSlug(long).length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
  });
});
