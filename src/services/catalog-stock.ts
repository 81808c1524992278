// Laying current stock over a rendered catalog. In a sale every order of a product with limited
// stock changes the catalog, and rendering it whole each time (~4 ms for 200 products, most of
// it PostgreSQL's) bound the catalog to the render rate. An order changes only its products' `stock` and
// `updatedAt`, so a render is kept as text cut at those places, and refilled from one small query.

/** A rendered catalog cut around each limited product's `stock` and `updatedAt` values. */
export interface StockTemplate {
  /** The limited products, in the order their places occur. */
  ids: string[];
  /** The text between the places: `ids.length * 2 + 1` pieces (stock, then updatedAt, per id). */
  pieces: string[];
}

export interface StockFigure {
  stock: number;
  /** ISO 8601, as the catalog writes it. */
  updatedAt: string;
}

interface RenderedProduct {
  id: string;
  stock: number | null;
  updatedAt: string;
}

// PostgreSQL text cannot hold NUL, so no stored string can produce this marker, and a string
// holding the six characters `\u0000` is written `"\\u0000…"` (an escaped backslash): no match.
const MARK = '\u0000';
const MARKED = /"\\u0000\d+"/;

/**
 * Cuts the catalog JSON at its limited products' stock and updatedAt, and returns those figures
 * as rendered. The text is re-serialized by JSON.stringify (compact), so filling the template
 * with the same figures gives the same catalog, minus PostgreSQL's spaces.
 */
export function stockTemplate(json: string): { template: StockTemplate; figures: Map<string, StockFigure> } {
  const catalog = JSON.parse(json) as { categories: Array<{ products: RenderedProduct[] }> };
  const ids: string[] = [];
  const figures = new Map<string, StockFigure>();
  for (const category of catalog.categories) {
    for (const product of category.products) {
      if (product.stock === null) continue;
      figures.set(product.id, { stock: product.stock, updatedAt: product.updatedAt });
      // The same product cannot appear twice (one category each), so one mark per place.
      const mark = `${MARK}${ids.length}`;
      ids.push(product.id);
      (product as unknown as Record<string, string>).stock = mark;
      product.updatedAt = mark;
    }
  }
  const pieces = JSON.stringify(catalog).split(MARKED);
  if (pieces.length !== ids.length * 2 + 1) throw new Error('A catalog template lost a place');
  return { template: { ids, pieces }, figures };
}

/** The catalog text with these figures in place, or null if one of its products has none. */
export function fillStock(template: StockTemplate, figures: ReadonlyMap<string, StockFigure>): string | null {
  const { ids, pieces } = template;
  let text = pieces[0]!;
  for (let i = 0; i < ids.length; i++) {
    const figure = figures.get(ids[i]!);
    if (!figure) return null;
    text += String(figure.stock) + pieces[2 * i + 1]! + JSON.stringify(figure.updatedAt) + pieces[2 * i + 2]!;
  }
  return text;
}
