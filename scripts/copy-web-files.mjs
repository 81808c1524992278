// Part of `npm run build`: tsc compiles src/ into dist/src/, and the storefront's templates, script
// and stylesheet (not TypeScript) go beside the compiled pages, where src/web/renderer.ts looks.
import { cpSync } from 'node:fs';

for (const dir of ['views', 'assets']) {
  cpSync(`src/web/${dir}`, `dist/src/web/${dir}`, { recursive: true });
}
