import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Eta } from 'eta';

/** Where the templates and the storefront's own script and stylesheet are (copied beside the build by `npm run build`). */
export const VIEWS_DIR = path.join(__dirname, 'views');
export const ASSETS_DIR = path.join(__dirname, 'assets');

/** The script and stylesheet every page links, each with a version of its content so browsers may keep it a year. */
export interface PageAssets {
  css: string;
  js: string;
}

function versioned(file: string): string {
  const hash = createHash('sha256')
    .update(readFileSync(path.join(ASSETS_DIR, file)))
    .digest('base64url')
    .slice(0, 10);
  return `/assets/${file}?v=${hash}`;
}

/**
 * The storefront's templates (Eta). `<%= %>` escapes, and it is the only output tag the templates
 * use for data: store and product names are written by sellers and are untrusted. `<%~ %>` (raw)
 * appears only for the layout's body and for partials, which are themselves escaped templates.
 */
export class PageRenderer {
  private readonly eta = new Eta({ views: VIEWS_DIR, cache: true, autoEscape: true, autoTrim: ['nl', 'nl'] });
  readonly assets: PageAssets = { css: versioned('storefront.css'), js: versioned('storefront.js') };

  render(template: string, data: object): string {
    return this.eta.render(`./${template}`, { ...data, assets: this.assets });
  }
}
