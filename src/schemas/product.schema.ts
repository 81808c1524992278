import { z } from 'zod';
import { formBoolean, formInt, id, listOf, money, name, pagination, prose, text, timestamp } from './common';

export const MAX_STOCK = 1_000_000_000;

export const productParams = z.object({ storeId: id, productId: id });

/** Omitted, null or (from a form) empty: unlimited stock. */
const stock = z
  .preprocess((v) => (v === '' ? null : v), formInt(0, MAX_STOCK).nullable())
  .meta({ type: ['integer', 'null'], description: 'Units in stock; null means unlimited', example: 25 });

/** Empty (or null) descriptions are stored as null. */
const description = prose(0, 5000)
  .nullable()
  .meta({ type: ['string', 'null'], example: 'Fresh, 1 kg pack' });

const fields = {
  name: name(1, 200).meta({ example: 'Basmati Rice 1kg' }),
  description: description.optional(),
  mrp: money,
  salePrice: money,
  category: name(1, 100).meta({ example: 'Groceries' }),
  stock: stock.optional(),
};

function checkPrices(value: { mrp?: number; salePrice?: number }, ctx: z.RefinementCtx): void {
  if (value.mrp !== undefined && value.salePrice !== undefined && value.salePrice > value.mrp) {
    ctx.addIssue({ code: 'custom', path: ['salePrice'], message: 'must not be more than mrp' });
  }
}

export const createProductBody = z
  .object({ ...fields, active: formBoolean.optional() })
  .strict()
  .superRefine(checkPrices)
  .meta({
    id: 'CreateProduct',
    example: { name: 'Basmati Rice 1kg', description: 'Aged, long grain', mrp: 150, salePrice: 129.5, category: 'Groceries', stock: 40 },
  });
export type CreateProductBody = z.infer<typeof createProductBody>;

export const updateProductBody = z
  .object({
    name: fields.name.optional(),
    description: description.optional(),
    mrp: money.optional(),
    salePrice: money.optional(),
    category: fields.category.optional(),
    stock: stock.optional(),
    active: formBoolean.optional(),
    image: z.null().optional().meta({ description: 'null removes the image (JSON only)' }),
  })
  .strict()
  .superRefine(checkPrices)
  .meta({ id: 'UpdateProduct', example: { salePrice: 119, stock: 12, active: true } });

const binary = z.string().meta({ format: 'binary', description: 'JPEG, PNG or WebP, at most 5 MB' });

export const createProductForm = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    mrp: z.string().meta({ example: '150' }),
    salePrice: z.string().meta({ example: '129.50' }),
    category: z.string(),
    stock: z.string().optional(),
    image: binary.optional(),
  })
  .meta({ id: 'CreateProductForm' });

export const updateProductForm = createProductForm
  .partial()
  .extend({ active: z.enum(['true', 'false']).optional() })
  .meta({ id: 'UpdateProductForm' });

export const productListQuery = pagination.extend({
  category: text(1, 100).optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  q: text(0, 200).optional(),
});

/** The example product of the OpenAPI document (the catalog's example shows it too). */
export const productExample = {
  id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5f',
  storeId: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5e',
  name: 'Basmati Rice 1kg',
  description: 'Aged, long grain',
  mrp: 150,
  salePrice: 129.5,
  category: { id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d60', name: 'Groceries' },
  image: 'http://localhost:3000/uploads/3f2a9c0e4b1d4e6f8a7b6c5d4e3f2a1b.png',
  imageVariants: [
    { width: 320, height: 320, url: 'http://localhost:3000/uploads/3f2a9c0e4b1d4e6f8a7b6c5d4e3f2a1b-w320.webp' },
    { width: 640, height: 640, url: 'http://localhost:3000/uploads/3f2a9c0e4b1d4e6f8a7b6c5d4e3f2a1b-w640.webp' },
  ],
  stock: 40,
  active: true,
  createdAt: '2026-11-21T10:00:00.000Z',
  updatedAt: '2026-11-21T10:00:00.000Z',
};

export const product = z
  .object({
    id: z.string(),
    storeId: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    mrp: z.number(),
    salePrice: z.number(),
    category: z.object({ id: z.string(), name: z.string() }),
    image: z.string().nullable().meta({ description: 'Absolute URL of the full-size image (metadata stripped), or null' }),
    imageVariants: z
      .array(z.object({ width: z.number().int(), height: z.number().int(), url: z.string() }))
      .nullable()
      .meta({
        description:
          'WebP sizes for srcset, ascending by width: 320, 640 and 1200 px, never upscaled (a smaller image gives fewer, at least one). ' +
          'null without an image.',
      }),
    stock: z.number().int().nullable(),
    active: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({
    id: 'Product',
    example: productExample,
  });

export const productList = listOf(product).meta({ id: 'ProductList' });

export const categoryList = z
  .object({ items: z.array(z.object({ id: z.string(), name: z.string(), productCount: z.number().int() })) })
  .meta({ id: 'CategoryList', example: { items: [{ id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d60', name: 'Groceries', productCount: 12 }] } });
