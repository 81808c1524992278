import { overlayStock, type CatalogView } from '../../src/services/stock-overlay';

const product = (id: string, name: string, stock: number | null, updatedAt = '2026-11-21T10:00:00.000Z') => ({
  id,
  storeId: 's',
  name,
  description: null,
  mrp: 10,
  salePrice: 9.5,
  category: { id: 'c', name: 'C' },
  image: null,
  imageVariants: null,
  stock,
  active: true,
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt,
});

const catalog = (...products: ReturnType<typeof product>[]): CatalogView => ({
  store: { id: 's', name: 'Shop', address: 'x', slug: 'shop', link: 'http://localhost/shop' },
  categories: [{ id: 'c', name: 'C', productCount: products.length, products }],
});

describe('laying stock over a rendered catalog', () => {
  test('limited products take their new stock and updatedAt; unlimited ones and everything else stay', () => {
    const view = catalog(product('a', 'Atta', 5), product('b', 'Salt', null), product('c', 'Dal', 3));
    const later = new Date('2026-11-22T08:00:00.000Z');
    const overlaid = overlayStock(
      view,
      new Map([
        ['a', { stock: 4, updatedAt: later }],
        ['c', { stock: 0, updatedAt: later }],
      ]),
    );
    expect(overlaid).toEqual(
      catalog(product('a', 'Atta', 4, later.toISOString()), product('b', 'Salt', null), product('c', 'Dal', 0, later.toISOString())),
    );
  });

  test('the catalog it builds on is left as it was (other answers may still hold it)', () => {
    const view = catalog(product('a', 'Atta', 5));
    const before = structuredClone(view);
    overlayStock(view, new Map([['a', { stock: 1, updatedAt: new Date() }]]));
    expect(view).toEqual(before);
  });

  test('a limited product with no figure (it left the store) makes it refuse: render anew', () => {
    const view = catalog(product('a', 'Atta', 5), product('c', 'Dal', 3));
    expect(overlayStock(view, new Map([['a', { stock: 4, updatedAt: new Date() }]]))).toBeNull();
  });

  test('a catalog with no limited products needs no figures', () => {
    const view = catalog(product('b', 'Salt', null));
    expect(overlayStock(view, new Map())).toEqual(view);
  });
});
