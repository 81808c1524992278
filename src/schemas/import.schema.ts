import { z } from 'zod';

export const importForm = z
  .object({ file: z.string().meta({ format: 'binary', description: 'The CSV file' }).optional() })
  .meta({ id: 'ProductImportForm' });

export const importResult = z
  .object({
    created: z.number().int(),
    failed: z.array(z.object({ row: z.number().int(), errors: z.array(z.object({ path: z.string(), message: z.string() })) })),
  })
  .meta({
    id: 'ProductImportResult',
    example: { created: 48, failed: [{ row: 7, errors: [{ path: 'salePrice', message: 'must not be more than mrp' }] }] },
  });
