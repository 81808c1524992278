import { etagOf } from '../domain/etag';
import { NotFoundError } from '../domain/errors';
import type { Presenter } from '../http/presenters';
import type { CatalogService } from '../services/catalog.service';
import { PREVIEW } from '../services/images/image-processor';
import { SingleFlightCache } from '../services/single-flight-cache';
import type { CatalogView } from '../services/stock-overlay';
import { MAX_AGE_MS } from '../services/store-versions';
import { excerpt, priceAmount, rupees } from './format';
import type { PageRenderer } from './renderer';

/** A rendered page: its UTF-8 bytes and their ETag. */
export interface RenderedPage {
  html: Buffer;
  etag: string;
}

type Product = CatalogView['categories'][number]['products'][number];
type Store = CatalogView['store'];

/** The pages whose content is the same for every buyer (the order page is filled in by the buyer's browser). */
export type ShellPage = 'cart' | 'checkout' | 'order';

/** Pages kept per instance, across stores: a store page, its product pages and three shells each. */
const MAX_PAGES = 5_000;
/** Stock at or under this shows "Only N left". */
const LOW_STOCK = 5;
/** The most a line may hold (the cart's rule), offered as the quantity field's maximum. */
const MAX_LINE_QTY = 99;

/**
 * The storefront's HTML, made from the catalog's cached render and cached itself under the
 * catalog's ETag: a seller's change (or a sale's stock) makes a new catalog, hence new pages at
 * once, and a quiet store's pages cost no query and no render.
 */
export class StorefrontPages {
  private readonly pages = new SingleFlightCache<RenderedPage, string>({
    idOf: (etag) => etag,
    maxEntries: MAX_PAGES,
    maxAgeMs: MAX_AGE_MS,
  });

  constructor(
    private readonly catalog: Pick<CatalogService, 'view'>,
    private readonly renderer: PageRenderer,
    private readonly presenter: Pick<Presenter, 'previewImage' | 'storeLink'>,
    private readonly baseUrl: string,
  ) {}

  /** The store: its categories and products in the catalog's order. */
  async store(slug: string): Promise<RenderedPage> {
    return this.cached(slug, 'store', (view) => {
      const products = view.categories.flatMap((c) => c.products);
      const count = products.length;
      const cover = products.find((p) => this.presenter.previewImage(p));
      const description = excerpt(
        `Order from ${view.store.name}, ${view.store.address}. ${count} product${count === 1 ? '' : 's'}, delivered to your door.`,
      );
      return this.renderer.render('store', {
        store: this.storeModel(view.store),
        categories: view.categories.map((c) => ({
          id: c.id,
          name: c.name,
          productCount: c.productCount,
          products: c.products.map((p) => this.card(view.store, p)),
        })),
        page: {
          kind: 'store',
          title: view.store.name,
          description,
          preview: {
            type: 'website',
            title: view.store.name,
            description,
            url: this.presenter.storeLink(view.store.slug),
            image: cover ? this.previewOf(cover) : null,
          },
        },
      });
    });
  }

  /** One product of the store (active ones only; any other id is 404). */
  async product(slug: string, productId: string): Promise<RenderedPage> {
    return this.cached(slug, `product:${productId}`, (view) => {
      const product = view.categories.flatMap((c) => c.products).find((p) => p.id === productId);
      if (!product) throw new NotFoundError('Product');
      const price = rupees(product.salePrice);
      const description = excerpt(product.description ? `${price}. ${product.description}` : `${price} at ${view.store.name}.`);
      const title = `${product.name} · ${view.store.name}`;
      return this.renderer.render('product', {
        store: this.storeModel(view.store),
        product: {
          ...this.card(view.store, product),
          category: product.category.name,
          description: product.description,
          stock: product.stock,
          lowStock: product.stock !== null && product.stock > 0 && product.stock <= LOW_STOCK,
        },
        page: {
          kind: 'product',
          title,
          description,
          preview: {
            type: 'product',
            title,
            description,
            url: this.productUrl(view.store, product),
            price: priceAmount(product.salePrice),
            image: this.presenter.previewImage(product) ? this.previewOf(product) : null,
          },
        },
      });
    });
  }

  /** The cart, checkout and order pages: the store's frame; the buyer's browser fills them from the JSON API. */
  async shell(slug: string, kind: ShellPage): Promise<RenderedPage> {
    const titles: Record<ShellPage, string> = { cart: 'Your cart', checkout: 'Checkout', order: 'Your order' };
    return this.cached(slug, kind, (view) =>
      this.renderer.render(kind, {
        store: this.storeModel(view.store),
        page: { kind, title: `${titles[kind]} · ${view.store.name}`, description: `${titles[kind]} at ${view.store.name}.`, noindex: true },
      }),
    );
  }

  /** An error page (404, 410, ...) for a path a person opened. */
  error(status: number, message: string): string {
    const titles: Record<number, string> = { 404: 'Page not found', 410: 'This store has closed' };
    return this.renderer.render('error', { title: titles[status] ?? 'Something went wrong', message });
  }

  private async cached(slug: string, page: string, render: (view: CatalogView) => string): Promise<RenderedPage> {
    const { view, etag } = await this.catalog.view(slug);
    return this.pages.get(
      `${view.store.id}:${page}`,
      async () => etag,
      async () => {
        const html = Buffer.from(render(view));
        return { html, etag: etagOf(html) };
      },
    );
  }

  private storeModel(store: Store) {
    return { name: store.name, address: store.address, slug: store.slug, home: `/${store.slug}` };
  }

  private productUrl(store: Store, product: Product): string {
    return `${this.presenter.storeLink(store.slug)}/products/${product.id}`;
  }

  /** A product as a card shows it: prices in rupees, the image from our own origin, or none. */
  private card(store: Store, p: Product) {
    const variants = (p.imageVariants ?? []).filter((v) => this.isOurs(v.url));
    const largest = variants.at(-1);
    const discount = p.mrp > p.salePrice ? Math.round(((p.mrp - p.salePrice) / p.mrp) * 100) : 0;
    return {
      id: p.id,
      name: p.name,
      href: `/${store.slug}/products/${p.id}`,
      initial: [...p.name][0]?.toUpperCase() ?? '',
      salePrice: rupees(p.salePrice),
      mrp: p.mrp > p.salePrice ? rupees(p.mrp) : null,
      off: discount > 0 ? `${discount}% off` : null,
      outOfStock: p.stock === 0,
      maxQty: Math.min(MAX_LINE_QTY, p.stock ?? MAX_LINE_QTY),
      // Only images served by this origin: the pages load nothing from elsewhere.
      picture: largest
        ? {
            src: this.local(variants[0]!.url),
            large: this.local(variants[Math.min(1, variants.length - 1)]!.url),
            srcset: variants.map((v) => `${this.local(v.url)} ${v.width}w`).join(', '),
            width: largest.width,
            height: largest.height,
          }
        : null,
    };
  }

  private previewOf(p: Product) {
    return { url: this.presenter.previewImage(p)!, width: PREVIEW.width, height: PREVIEW.height, alt: p.name };
  }

  private isOurs(url: string): boolean {
    return url.startsWith(`${this.baseUrl}/uploads/`);
  }

  /** Our own URL as a path, so a page works whatever host name it was opened under. */
  private local(url: string): string {
    return url.slice(this.baseUrl.length);
  }
}
