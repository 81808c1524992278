// Stock laid over a rendered catalog.
//
// Why: in a sale every order of a product with limited stock changes what the catalog shows, and
// rendering the whole catalog from PostgreSQL for each order bound the catalog to the render
// rate. An order (or a cancel) changes only its products' `stock` and `updatedAt`, and says so by
// replacing only the store's `any` version (StoreVersions.stockChanged). When the `content`
// version is the one the last render was made under, the catalog takes that render and sets the
// current stock and updatedAt of its limited products, read by one small query.
//
// When it does not apply: a seller's change (new `content` version), a limited product the query
// no longer returns (archived or made unlimited: also seller's changes, but a catalog must never
// show a product that left), or a render older than MAX_AGE_MS (the bound on staleness). Then the
// catalog is rendered anew.
import type { z } from 'zod';
import type { catalog } from '../schemas/storefront.schema';

/** The catalog as the contract writes it, as objects. */
export type CatalogView = z.infer<typeof catalog>;

export interface StockFigure {
  stock: number;
  updatedAt: Date;
}

/**
 * `view` with each limited product's stock and updatedAt taken from `figures` (by product id), as
 * a new catalog (`view` is not changed); null when a limited product has no figure.
 */
export function overlayStock(view: CatalogView, figures: ReadonlyMap<string, StockFigure>): CatalogView | null {
  const categories: CatalogView['categories'] = [];
  for (const category of view.categories) {
    const products: CatalogView['categories'][number]['products'] = [];
    for (const product of category.products) {
      if (product.stock === null) {
        products.push(product);
        continue;
      }
      const figure = figures.get(product.id);
      if (!figure) return null;
      products.push({ ...product, stock: figure.stock, updatedAt: figure.updatedAt.toISOString() });
    }
    categories.push({ ...category, products });
  }
  return { store: view.store, categories };
}
