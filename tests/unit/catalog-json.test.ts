import { catalogJson } from '../../src/services/catalog.service';
import type { CatalogView } from '../../src/services/stock-overlay';

const product = (i: number, name = `Product ${i}`) => ({
  id: `p${i}`,
  storeId: 's',
  name,
  description: i % 2 ? null : 'Fresh\n"daily"',
  mrp: 10 + i,
  salePrice: 9.5,
  category: { id: 'c', name: 'C' },
  image: null,
  stock: i % 3 ? null : i,
  active: true,
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-21T10:00:00.000Z',
});
const store = { id: 's', name: 'Shop "Quoted" \u2028', address: 'x', slug: 'shop', link: 'http://localhost/shop' };

describe('catalogJson', () => {
  test.each([
    ['no categories', { store, categories: [] }],
    ['one product', { store, categories: [{ id: 'c', name: 'C', productCount: 1, products: [product(1, 'Ātta \u200D')] }] }],
    [
      'a category of 1,203 products and two small ones',
      {
        store,
        categories: [
          { id: 'a', name: 'Big', productCount: 1203, products: Array.from({ length: 1203 }, (_, i) => product(i)) },
          { id: 'b', name: 'Small "one"', productCount: 2, products: [product(1), product(2)] },
          { id: 'c', name: 'Cut', productCount: 40, products: [product(3)] },
        ],
      },
    ],
  ] as Array<[string, CatalogView]>)('writes %s exactly as JSON.stringify does', async (_name, view) => {
    expect(await catalogJson(view)).toBe(JSON.stringify(view));
  });
});
