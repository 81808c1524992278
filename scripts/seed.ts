// `npm run seed`: demo data through the real services (so every rule applies): a seller, two
// stores and 40 products in 6 categories, each with a small real PNG. Idempotent: what exists
// (the seller by mobile, stores by name, products by name) is kept, not duplicated.
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createContainer } from '../src/container';
import { ensureDatabase, migrate } from '../src/db/migrate';
import { pngBytes } from './lib/png';

const SELLER_MOBILE = '+919000000001';

type Rgb = [number, number, number];
const STORES: Array<{
  name: string;
  address: string;
  categories: Array<{ name: string; colour: Rgb; products: Array<[string, number, number, number | null]> }>;
}> = [
  {
    name: 'Sharma General Store',
    address: '21 Station Road, Pune',
    categories: [
      {
        name: 'Groceries',
        colour: [0xe9, 0xb8, 0x4a],
        products: [
          ['Basmati Rice 1kg', 150, 129.5, 40],
          ['Toor Dal 1kg', 199, 179.99, 25],
          ['Whole Wheat Atta 5kg', 320, 289, 15],
          ['Sugar 1kg', 55, 48, 60],
          ['Iodised Salt 1kg', 28, 25, null],
          ['Mustard Oil 1L', 210, 189, 20],
          ['Turmeric Powder 200g', 80, 72, null],
        ],
      },
      {
        name: 'Dairy',
        colour: [0xf5, 0xf0, 0xdc],
        products: [
          ['Toned Milk 1L', 66, 64, 30],
          ['Paneer 200g', 95, 90, 12],
          ['Curd 400g', 50, 45, 18],
          ['Butter 100g', 58, 56, 24],
          ['Ghee 500ml', 340, 315, 10],
          ['Cheese Slices 200g', 150, 135, null],
        ],
      },
      {
        name: 'Snacks',
        colour: [0xd9, 0x5d, 0x39],
        products: [
          ['Masala Chips 52g', 20, 20, null],
          ['Marie Biscuits 250g', 40, 35, 50],
          ['Roasted Peanuts 200g', 60, 52, 35],
          ['Bhujia 400g', 110, 99, 22],
          ['Dark Chocolate 100g', 120, 110, 16],
          ['Rusk 300g', 55, 50, null],
          ['Khakhra Pack', 75, 68, 14],
        ],
      },
    ],
  },
  {
    name: 'Green Leaf Organics',
    address: '5 Lake View Lane, Bengaluru',
    categories: [
      {
        name: 'Fruits',
        colour: [0xf2, 0x6b, 0x5b],
        products: [
          ['Alphonso Mangoes 1kg', 450, 399, 20],
          ['Bananas (dozen)', 60, 55, 40],
          ['Pomegranate 500g', 140, 125, 18],
          ['Apples 1kg', 220, 199, 25],
          ['Papaya', 70, 60, 12],
          ['Sweet Lime 1kg', 90, 80, null],
          ['Guava 500g', 60, 50, 15],
        ],
      },
      {
        name: 'Vegetables',
        colour: [0x5f, 0xa8, 0x4b],
        products: [
          ['Tomatoes 1kg', 40, 35, 50],
          ['Onions 1kg', 45, 40, 80],
          ['Spinach Bunch', 30, 25, 20],
          ['Okra 500g', 50, 45, 15],
          ['Potatoes 1kg', 35, 30, null],
          ['Green Chillies 100g', 15, 12, 30],
          ['Coriander Bunch', 20, 15, 25],
        ],
      },
      {
        name: 'Beverages',
        colour: [0x6b, 0x4f, 0x3a],
        products: [
          ['Assam Tea 250g', 140, 125, 30],
          ['Filter Coffee 200g', 180, 165, 20],
          ['Green Tea 25 bags', 160, 145, null],
          ['Coconut Water 1L', 110, 99, 18],
          ['Kokum Sherbet 750ml', 150, 135, 10],
          ['Lemon Honey Squash', 190, 170, 8],
        ],
      },
    ],
  },
];

async function main(): Promise<void> {
  const config = loadConfig();
  await ensureDatabase(config.databaseUrl);
  await migrate(config.databaseUrl);
  const container = await createContainer(config, pino({ level: 'warn' }));
  const { db, services, presenter } = container;
  try {
    const seller = await db.account.upsert({ where: { mobile: SELLER_MOBILE }, update: {}, create: { mobile: SELLER_MOBILE } });
    let created = 0;
    const links: string[] = [];
    for (const spec of STORES) {
      const store =
        (await db.store.findFirst({ where: { sellerId: seller.id, name: spec.name } })) ?? (await services.stores.create(seller.id, spec));
      links.push(`${spec.name}: ${presenter.storeLink(store.slug)}`);
      for (const category of spec.categories) {
        for (const [name, mrp, salePrice, stock] of category.products) {
          const exists = await db.product.findFirst({ where: { storeId: store.id, name, archivedAt: null }, select: { id: true } });
          if (exists) continue;
          // A tile of the category's colour, a little different for each product.
          const shade = category.colour.map((c, i) => Math.max(0, Math.min(255, c + ((name.length * (i + 3)) % 40) - 20))) as Rgb;
          await services.products.create(
            store.id,
            {
              name,
              mrp: Math.round(mrp * 100),
              salePrice: Math.round(salePrice * 100),
              category: category.name,
              stock,
              description: `${name}, from the ${category.name.toLowerCase()} shelf.`,
            },
            pngBytes(480, 480, shade),
          );
          created += 1;
        }
      }
    }
    const { token, refreshToken } = await services.sessions.start('seller', seller.id);
    console.log(`Seeded: seller ${SELLER_MOBILE}, ${STORES.length} stores, ${created} new products (re-running adds nothing).`);
    console.log(`Store links:\n  ${links.join('\n  ')}`);
    console.log(`Seller token (valid ${Math.round(config.jwt.ttlSeconds / 60)} min):\n  ${token}`);
    console.log(`Refresh token (POST /api/v1/auth/refresh for the next pair):\n  ${refreshToken}`);
    if (config.jwt.generated) {
      console.log(
        'Note: JWT_SECRET is not set, so this token only works with a server given the same secret. Set JWT_SECRET for both,\nor sign in as the seller instead: POST /api/v1/seller/auth {"mobile":"+919000000001","otp":"1234"}.',
      );
    }
  } finally {
    await container.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
