// The buyer's side in a real browser on a phone-sized screen: the store link, the cart, checkout
// with an OTP, the order page. Also JavaScript off, stock, a price change, hostile names,
// accessibility (axe-core) and screenshots.
import request from 'supertest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADDRESS, auth, newProduct, newSeller, newStore, randomMobile, type Seller, type StoreRef } from '../helpers/factories';
import { launchBrowser, PHONE, screenshot, seriousViolations, startLiveApp, type LiveApp } from '../helpers/browser';
import { phoneJpeg } from '../helpers/images';

jest.setTimeout(60_000);

describe('the storefront in a browser', () => {
  let live: LiveApp;
  let browser: Browser;
  let seller: Seller;
  let store: StoreRef;
  const products: Record<string, { id: string; name: string }> = {};

  beforeAll(async () => {
    [live, browser] = await Promise.all([startLiveApp(), launchBrowser()]);
    seller = await newSeller(live.app);
    store = await newStore(live.app, seller, { name: 'Ramesh Kirana', address: '12 MG Road, Bengaluru' });
    const upload = async (name: string, fields: Record<string, string>) => {
      const req = request(live.app)
        .post(`/api/v1/seller/stores/${store.id}/products`)
        .set(...auth(seller.token))
        .field('name', name);
      for (const [k, v] of Object.entries(fields)) req.field(k, v);
      products[name] = (await req.attach('image', await phoneJpeg(900, 900), 'p.jpg').expect(201)).body;
    };
    await upload('Basmati Rice 5kg', { mrp: '1499', salePrice: '1299.5', category: 'Grains', stock: '20', description: 'Aged two years.' });
    await upload('Toor Dal 1kg', { mrp: '199', salePrice: '179', category: 'Pulses', stock: '10' });
    products['Ghee 1L'] = await newProduct(live.app, seller, store, { name: 'Ghee 1L', category: 'Dairy', mrp: 650, salePrice: 599 });
    products['Paneer 200g'] = await newProduct(live.app, seller, store, {
      name: 'Paneer 200g',
      category: 'Dairy',
      mrp: 90,
      salePrice: 90,
      stock: 0,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  /** A new phone: its own storage (no cart, no customer), failing the test on any dialog or page error. */
  async function phone(
    options: { javaScriptEnabled?: boolean } = {},
  ): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ ...PHONE, ...options });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 409|status of 404/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    return { context, page, problems };
  }

  async function expectAccessible(page: Page) {
    expect({ url: page.url(), violations: await seriousViolations(page) }).toEqual({ url: page.url(), violations: [] });
  }

  /** Nothing wider than the phone: no sideways scrolling at 360 px. */
  async function expectFitsThePhone(page: Page) {
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
  }

  async function signInAndFillAddress(page: Page, mobile: string) {
    await page.getByLabel('Mobile number').fill(mobile);
    await page.getByRole('button', { name: 'Send OTP' }).click();
    await page.getByLabel('OTP').fill('1234');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByLabel('House, street').fill(ADDRESS.line1);
    await page.getByLabel('City').fill(ADDRESS.city);
    await page.getByLabel('Pincode').fill(ADDRESS.pincode);
  }

  test('a buyer opens the link, adds two products, changes a quantity, removes one, signs in with an OTP and orders', async () => {
    const { context, page, problems } = await phone();
    await page.goto(`${live.url}/${store.slug}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ramesh Kirana');
    expect(await page.locator(`[data-product="${products['Basmati Rice 5kg']!.id}"] .sale`).textContent()).toBe('₹1,299.50');
    await expectFitsThePhone(page);
    await expectAccessible(page);
    await screenshot(page, 'store-360');

    await page.getByRole('button', { name: 'Add to cart Basmati Rice 5kg' }).click();
    await page.getByText('Added Basmati Rice 5kg to your cart.').waitFor();
    await page.getByRole('button', { name: 'Add to cart Toor Dal 1kg' }).click();
    await page.getByText('Added Toor Dal 1kg to your cart.').waitFor();
    expect(await page.locator('[data-cart-count]').textContent()).toBe('(2)');

    // The product page, then the cart.
    await page.getByRole('link', { name: 'Basmati Rice 5kg' }).first().click();
    await page.waitForURL(`**/${store.slug}/products/${products['Basmati Rice 5kg']!.id}`);
    await expectAccessible(page);
    await page.getByRole('link', { name: /^Cart/ }).click();
    await page.waitForURL(`**/${store.slug}/cart`);
    await page.locator('[data-line]').nth(1).waitFor();
    await page.getByRole('button', { name: 'One more Basmati Rice 5kg' }).click();
    await page.getByText('₹2,599.00').first().waitFor();
    expect(await page.getByLabel('Quantity of Basmati Rice 5kg').inputValue()).toBe('2');
    await page.getByRole('button', { name: 'Remove Toor Dal 1kg' }).click();
    await page.getByText('Removed Toor Dal 1kg.').waitFor();
    expect(await page.locator('[data-line]').count()).toBe(1);
    await expectFitsThePhone(page);
    await expectAccessible(page);
    await screenshot(page, 'cart-360');

    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.waitForURL(`**/${store.slug}/checkout`);
    expect(await page.getByLabel('Mobile number').getAttribute('autocomplete')).toBe('tel');
    expect(await page.getByLabel('OTP').getAttribute('autocomplete')).toBe('one-time-code');
    expect(await page.getByLabel('OTP').getAttribute('inputmode')).toBe('numeric');
    await expectAccessible(page);
    const mobile = randomMobile();
    await signInAndFillAddress(page, mobile);
    await expectAccessible(page);
    await screenshot(page, 'checkout-360');
    await page.getByRole('button', { name: 'Place order' }).click();

    await page.waitForURL(new RegExp(`/${store.slug}/orders/[0-9a-f-]{36}$`));
    const orderId = page.url().split('/').pop()!;
    await page.getByText('Placed: waiting for the store to accept it').waitFor();
    expect(await page.locator('#order-view').textContent()).toContain('2 × Basmati Rice 5kg');
    expect(await page.locator('[data-address]').textContent()).toContain('12 MG Road');
    expect(await page.locator('[data-mobile]').textContent()).toContain(mobile);
    await expectFitsThePhone(page);
    await expectAccessible(page);
    await screenshot(page, 'order-360');

    // The order is real: the seller sees it, with the quantities the buyer chose.
    const seen = await request(live.app)
      .get(`/api/v1/seller/stores/${store.id}/orders/${orderId}`)
      .set(...auth(seller.token))
      .expect(200);
    expect(seen.body.items.map((i: { name: string; qty: number }) => [i.name, i.qty])).toEqual([['Basmati Rice 5kg', 2]]);
    expect(problems).toEqual([]);

    // Another phone (no customer token) sees no personal data on the same page.
    const stranger = await phone();
    await stranger.page.goto(page.url());
    await stranger.page.getByText('shown only on the phone that placed it').waitFor();
    const text = await stranger.page.locator('main').textContent();
    expect(text).not.toContain('12 MG Road');
    expect(text).not.toContain(mobile);
    await Promise.all([context.close(), stranger.context.close()]);
  });

  test('with JavaScript off, the store and product pages still show the products and prices', async () => {
    const { context, page } = await phone({ javaScriptEnabled: false });
    await page.goto(`${live.url}/${store.slug}`);
    for (const name of ['Basmati Rice 5kg', 'Toor Dal 1kg', 'Ghee 1L', 'Paneer 200g']) {
      expect(await page.getByRole('heading', { name, level: 3 }).count()).toBe(1);
    }
    await page.goto(`${live.url}/${store.slug}/products/${products['Toor Dal 1kg']!.id}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Toor Dal 1kg');
    expect(await page.locator('.sale').textContent()).toBe('₹179.00');
    expect(await page.locator('img.hero').getAttribute('alt')).toBe('Toor Dal 1kg');
    await screenshot(page, 'product-no-js-360');
    await context.close();
  });

  test('an out-of-stock product says so and cannot be added', async () => {
    const { context, page } = await phone();
    await page.goto(`${live.url}/${store.slug}/products/${products['Paneer 200g']!.id}`);
    expect(await page.getByText('Out of stock').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: /Add to cart/ }).count()).toBe(0);
    await expectAccessible(page);
    await context.close();
  });

  test('stock follows sales live, without a reload: "Only N left", then "Out of stock", then back in stock', async () => {
    const ghee = await newProduct(live.app, seller, store, {
      name: 'Mustard Oil 1L',
      category: 'Oils',
      mrp: 210,
      salePrice: 199,
      stock: 8,
    });
    const setStock = (stock: number) =>
      request(live.app)
        .patch(`/api/v1/seller/stores/${store.id}/products/${ghee.id}`)
        .set(...auth(seller.token))
        .send({ stock })
        .expect(200);
    const onPage = await phone();
    const onList = await phone();
    // Both pages have their stream open (its answer has begun) before anything changes.
    const streaming = (p: Page) => p.waitForResponse((r) => r.url().endsWith(`/stores/${store.slug}/events`) && r.status() === 200);
    const opened = Promise.all([streaming(onPage.page), streaming(onList.page)]);
    await onPage.page.goto(`${live.url}/${store.slug}/products/${ghee.id}`);
    await onList.page.goto(`${live.url}/${store.slug}`);
    await opened;
    const card = onList.page.locator(`[data-product="${ghee.id}"]`);
    expect(await onPage.page.locator('[data-low-stock]').count()).toBe(0);
    await setStock(3);
    await onPage.page.getByText('Only 3 left').waitFor();
    await setStock(0);
    await onPage.page.getByText('Out of stock', { exact: true }).waitFor();
    await onPage.page.getByText('Mustard Oil 1L is now out of stock.').waitFor();
    await card.getByText('Out of stock').waitFor();
    expect(await onPage.page.getByRole('button', { name: /Add to cart/ }).count()).toBe(0);
    expect(await card.getByRole('button', { name: /Add to cart/ }).count()).toBe(0);
    expect(await onPage.page.locator('[data-low-stock]').count()).toBe(0);
    await screenshot(onPage.page, 'product-live-out-of-stock-360');
    await expectAccessible(onPage.page);
    await setStock(12);
    await onPage.page.getByRole('button', { name: /Add to cart Mustard Oil 1L/ }).waitFor();
    await card.getByRole('button', { name: /Add to cart/ }).waitFor();
    expect(await onPage.page.locator('#qty').getAttribute('max')).toBe('12');
    // The button that came back works.
    await card.getByRole('button', { name: /Add to cart/ }).click();
    await onList.page.getByText('Added Mustard Oil 1L to your cart.').waitFor();
    expect([...onPage.problems, ...onList.problems]).toEqual([]);
    await Promise.all([onPage.context.close(), onList.context.close()]);
  });

  test('every button, field and link a thumb uses is at least 44 px tall', async () => {
    const { context, page } = await phone();
    await page.goto(`${live.url}/${store.slug}`);
    const heights = await page.$$eval('button:not([hidden]), input, .chips a, .bar a, a.button', (els) =>
      els
        .filter((el) => (el as unknown as { offsetParent: unknown }).offsetParent !== null)
        .map((el) => [el.outerHTML.slice(0, 60), el.getBoundingClientRect().height] as const),
    );
    expect(heights.length).toBeGreaterThan(3);
    expect(heights.filter(([, h]) => h < 44)).toEqual([]);
    await context.close();
  });

  test('a price changed since the cart was filled: the 409 is shown in words, the cart shows the new price, and the next try orders', async () => {
    const product = await newProduct(live.app, seller, store, { name: 'Sugar 1kg', category: 'Grains', mrp: 60, salePrice: 48, stock: 50 });
    const { context, page, problems } = await phone();
    await page.goto(`${live.url}/${store.slug}/products/${product.id}`);
    await page.getByRole('button', { name: 'Add to cart Sugar 1kg' }).click();
    await page.getByText('Added Sugar 1kg to your cart.').waitFor();
    await page.goto(`${live.url}/${store.slug}/checkout`);
    await signInAndFillAddress(page, randomMobile());
    // Meanwhile the seller raises the price.
    await request(live.app)
      .patch(`/api/v1/seller/stores/${store.id}/products/${product.id}`)
      .set(...auth(seller.token))
      .send({ salePrice: 52 })
      .expect(200);
    await page.getByRole('button', { name: 'Place order' }).click();
    await page
      .getByRole('alert')
      .getByText(/Prices changed/)
      .waitFor();
    await page.locator('#summary').getByText('₹52.00').first().waitFor();
    await screenshot(page, 'price-changed-360');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    await page.getByText('₹52.00').first().waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  test.each(['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'])(
    'a store and product named %s show as text, and no dialog opens on any page',
    async (name) => {
      const hostile = await newStore(live.app, seller, { name, address: `${name} Road` });
      const product = await newProduct(live.app, seller, hostile, { name, description: name, category: name });
      const { context, page, problems } = await phone();
      await page.goto(`${live.url}/${hostile.slug}`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(name);
      await page.getByRole('button', { name: `Add to cart ${name}` }).click();
      await page.getByText(`Added ${name} to your cart.`).waitFor();
      await page.goto(`${live.url}/${hostile.slug}/products/${product.id}`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(name);
      await page.goto(`${live.url}/${hostile.slug}/cart`);
      await page.locator('[data-line]').first().waitFor();
      expect(await page.locator('.line-name').first().textContent()).toContain(name);
      await page.goto(`${live.url}/${hostile.slug}/checkout`);
      await page.locator('#summary li').first().waitFor();
      expect(await page.locator('#summary').textContent()).toContain(name);
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      // The order page's frame carries the store's name too.
      await page.goto(`${live.url}/${hostile.slug}/orders/${product.id}`);
      expect(await page.locator('.brand').textContent()).toBe(name);
      expect(problems).toEqual([]);
      await context.close();
    },
  );

  test('unknown stores get an HTML 404 page a person can read', async () => {
    const { context, page } = await phone();
    const response = await page.goto(`${live.url}/no-such-store-here`);
    expect(response!.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    await expectAccessible(page);
    await context.close();
  });
});
