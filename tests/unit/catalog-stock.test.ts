import { fillStock, stockTemplate } from '../../src/services/catalog-stock';

const product = (id: string, name: string, stock: number | null, updatedAt = '2026-11-21T10:00:00.000Z') => ({
  id, storeId: 's', name, description: null as string | null, mrp: 10, salePrice: 9.5, category: { id: 'c', name: 'C' }, image: null,
  stock, active: true, createdAt: '2026-11-20T10:00:00.000Z', updatedAt,
});

// As PostgreSQL writes json_build_object: spaces around the colons.
const asPostgres = (value: unknown) => JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ');

const catalog = (products: ReturnType<typeof product>[]) => ({
  store: { id: 's', name: 'Shop', address: 'x', slug: 'shop', link: 'http://localhost/shop' },
  categories: [{ id: 'c', name: 'C', productCount: products.length, products }],
});

describe('laying stock over a rendered catalog', () => {
  test('filled with the figures it was cut from, the template gives the same catalog, compact', () => {
    const doc = catalog([product('a', 'Atta', 5), product('b', 'Salt', null), product('c', 'Dal', 0)]);
    const { template, figures } = stockTemplate(asPostgres(doc));
    expect(template.ids).toEqual(['a', 'c']);
    expect(template.pieces).toHaveLength(5);
    expect(fillStock(template, figures)).toBe(JSON.stringify(doc));
  });

  test('new figures change only the stock and updatedAt of their products', () => {
    const doc = catalog([product('a', 'Atta', 5), product('b', 'Salt', null), product('c', 'Dal', 3)]);
    const { template } = stockTemplate(asPostgres(doc));
    const text = fillStock(template, new Map([
      ['a', { stock: 4, updatedAt: '2026-11-22T08:00:00.000Z' }],
      ['c', { stock: 0, updatedAt: '2026-11-22T08:00:01.000Z' }],
    ]));
    expect(JSON.parse(text!)).toEqual(catalog([
      product('a', 'Atta', 4, '2026-11-22T08:00:00.000Z'), product('b', 'Salt', null), product('c', 'Dal', 0, '2026-11-22T08:00:01.000Z'),
    ]));
  });

  test('text that looks like a place or a key is left alone', () => {
    const tricky = ['"stock": 1', '\\u0000', '"\\u00001"', 'a"b\\', '\u2028', 'नमस्ते'];
    const doc = catalog(tricky.map((name, i) => ({ ...product(`p${i}`, name, i), description: `"updatedAt":"x" ${name}` })));
    const { template, figures } = stockTemplate(asPostgres(doc));
    expect(template.ids).toHaveLength(tricky.length);
    expect(JSON.parse(fillStock(template, figures)!)).toEqual(doc);
  });

  test('a catalog without limited stock is one piece, and an empty one works too', () => {
    const { template } = stockTemplate(asPostgres(catalog([product('b', 'Salt', null)])));
    expect(template.pieces).toHaveLength(1);
    expect(stockTemplate(asPostgres({ store: {}, categories: [] })).template).toEqual({ ids: [], pieces: ['{"store":{},"categories":[]}'] });
  });

  test('a product missing from the figures (no longer limited) makes the fill fail rather than guess', () => {
    const { template } = stockTemplate(asPostgres(catalog([product('a', 'Atta', 5), product('c', 'Dal', 3)])));
    expect(fillStock(template, new Map([['a', { stock: 1, updatedAt: '2026-11-22T08:00:00.000Z' }]]))).toBeNull();
  });
});
