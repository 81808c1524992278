import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { CsvError, parse } from 'csv-parse';
import type { Db } from '../db/prisma';
import {
  BadRequestError,
  ConflictError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
  type FieldError,
} from '../domain/errors';
import { paiseToDecimalString } from '../domain/money';
import { zodIssuesToFieldErrors } from '../schemas/field-errors';
import { createProductBody, type CreateProductBody } from '../schemas/product.schema';
import type { StoreChanges } from './store-versions';
import { categoryKey } from './category.service';

export const MAX_IMPORT_ROWS = 5_000;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const COLUMNS = ['name', 'description', 'mrp', 'salePrice', 'category', 'stock'] as const;
const REQUIRED: ReadonlyArray<(typeof COLUMNS)[number]> = ['name', 'mrp', 'salePrice', 'category'];
const WRITE_BATCH = 500;
/** The file is fed to the parser in pieces of this size, and every YIELD_EVERY rows the event loop gets a turn. */
const PARSE_CHUNK_BYTES = 16 * 1024;
const YIELD_EVERY = 50;
/** How long a store's import lock outlives a process that died holding it. */
const LOCK_MS = 5 * 60_000;
// Deletes the lock only if it is still ours (it may have expired and been taken since).
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface ImportResult {
  created: number;
  failed: Array<{ row: number; errors: FieldError[] }>;
}

/**
 * Bulk product creation from a CSV with a header row. Columns are found by header name (any
 * order, case-insensitive); every row is checked by the very schema a single create uses; valid
 * rows are written together, in batches, in one transaction; invalid ones are reported by their
 * 1-based data row.
 *
 * One import at a time per store (a Redis lock, so across instances): a second one meanwhile is
 * 409. Parsing and checking yield to the event loop every few hundred rows, so a 5 MB file never
 * stalls the requests the process is serving meanwhile.
 */
export class ProductImportService {
  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
    private readonly catalog: StoreChanges,
  ) {}

  async import(storeId: string, file: Buffer): Promise<ImportResult> {
    await assertText(file);
    return this.alone(storeId, async () => {
      const { valid, failed } = await this.read(file);
      if (valid.length > 0) {
        await this.write(storeId, valid);
        await this.catalog.changed(storeId);
      }
      return { created: valid.length, failed };
    });
  }

  /** Runs `work` holding the store's import lock, or refuses with 409 while another import holds it. */
  private async alone<T>(storeId: string, work: () => Promise<T>): Promise<T> {
    const key = `import:lock:${storeId}`;
    const token = randomUUID();
    if ((await this.redis.set(key, token, 'PX', LOCK_MS, 'NX')) === null) {
      throw new ConflictError('An import into this store is under way; send the next file when it has finished.', 'import-in-progress');
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }

  private async read(file: Buffer): Promise<{ valid: CreateProductBody[]; failed: ImportResult['failed'] }> {
    const pieces = function* () {
      for (let at = 0; at < file.length; at += PARSE_CHUNK_BYTES) yield file.subarray(at, at + PARSE_CHUNK_BYTES);
    };
    const parser = Readable.from(pieces()).pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true }));
    const valid: CreateProductBody[] = [];
    const failed: ImportResult['failed'] = [];
    let index: Partial<Record<(typeof COLUMNS)[number], number>> | undefined;
    let row = 0;
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        if (!index) {
          index = columnsOf(record);
          continue;
        }
        row += 1;
        // Async iteration alone runs as microtasks, which never let I/O in: give the loop a turn.
        if (row % YIELD_EVERY === 0) await nextTurn();
        if (row > MAX_IMPORT_ROWS) {
          parser.destroy();
          throw new PayloadTooLargeError(`A file holds at most ${MAX_IMPORT_ROWS} data rows; nothing was created.`);
        }
        const fields: Record<string, string> = {};
        for (const column of COLUMNS) {
          const at = index[column];
          if (at !== undefined) fields[column] = record[at] ?? '';
        }
        const parsed = createProductBody.safeParse(fields);
        if (parsed.success) valid.push(parsed.data);
        else failed.push({ row, errors: zodIssuesToFieldErrors(parsed.error) });
      }
    } catch (err) {
      if (err instanceof CsvError) throw new BadRequestError(`The CSV could not be read: ${err.message}`, 'bad-csv');
      throw err;
    }
    if (!index) throw new ValidationError([{ path: 'file', message: 'is empty: expected a header row' }]);
    return { valid, failed };
  }

  private async write(storeId: string, rows: CreateProductBody[]): Promise<void> {
    await this.db.$transaction(
      async (tx) => {
        // Categories first, all at once; ones that exist (or appear concurrently) are kept.
        const names = new Map<string, string>();
        for (const r of rows) if (!names.has(categoryKey(r.category))) names.set(categoryKey(r.category), r.category.trim());
        await tx.category.createMany({
          data: [...names].map(([nameKey, name]) => ({ storeId, name, nameKey })),
          skipDuplicates: true,
        });
        const categories = await tx.category.findMany({
          where: { storeId, nameKey: { in: [...names.keys()] } },
          select: { id: true, nameKey: true },
        });
        const idOf = new Map(categories.map((c) => [c.nameKey, c.id]));
        // The rows go to PostgreSQL as one JSON parameter per batch, unpacked by jsonb_to_recordset,
        // rather than through createMany: Prisma builds and checks a query of 10 parameters a row
        // in the event loop, which held it for hundreds of milliseconds per batch and stalled
        // every other request of the process (the bench's import row). Import tests check what
        // lands, column by column, through the seller API.
        for (let i = 0; i < rows.length; i += WRITE_BATCH) {
          const batch = rows.slice(i, i + WRITE_BATCH).map((r) => ({
            id: uuidv7(),
            category_id: idOf.get(categoryKey(r.category))!,
            name: r.name,
            description: r.description ? r.description : null,
            mrp: paiseToDecimalString(r.mrp),
            sale_price: paiseToDecimalString(r.salePrice),
            stock: r.stock ?? null,
            active: r.active ?? true,
          }));
          await tx.$executeRaw`
            INSERT INTO products (id, store_id, category_id, name, description, mrp, sale_price, stock, active, updated_at)
            SELECT r.id, ${storeId}::uuid, r.category_id, r.name, r.description, r.mrp, r.sale_price, r.stock, r.active, now()
            FROM jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) AS r(
              id uuid, category_id uuid, name varchar, description varchar, mrp numeric, sale_price numeric, stock integer, active boolean)`;
          await nextTurn();
        }
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  }
}

function columnsOf(header: string[]): Partial<Record<(typeof COLUMNS)[number], number>> {
  const index: Partial<Record<(typeof COLUMNS)[number], number>> = {};
  header.forEach((raw, at) => {
    const column = COLUMNS.find((c) => c.toLowerCase() === raw.trim().toLowerCase());
    if (column && index[column] === undefined) index[column] = at;
  });
  const missing = REQUIRED.filter((c) => index[c] === undefined);
  if (missing.length) {
    throw new ValidationError(
      missing.map((c) => ({ path: c, message: 'column is missing from the header row' })),
      `The header row must name the columns ${REQUIRED.join(', ')} (description and stock are optional).`,
    );
  }
  return index;
}

/** A CSV is text: binary formats (images, PDFs, spreadsheets, archives) and bad UTF-8 are refused. */
async function assertText(file: Buffer): Promise<void> {
  const { fileTypeFromBuffer } = await import('file-type');
  const sniffed = await fileTypeFromBuffer(file);
  // isUtf8 checks in place; decoding 5 MB to a string only to see whether it fails made 10 MB of garbage.
  const text = !sniffed && !file.includes(0) && isUtf8(file);
  if (!text) throw new UnsupportedMediaTypeError('The file must be a CSV (UTF-8 text) with a header row.');
}
