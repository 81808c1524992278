// Small factories: each test makes the data it needs, through the API, with fresh mobiles.
import { randomInt } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';

export function randomMobile(): string {
  return `9${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
}

export interface Seller {
  token: string;
  id: string;
  mobile: string;
}

export interface StoreRef {
  id: string;
  slug: string;
  link: string;
  name: string;
}

export async function newSeller(app: Express, mobile = randomMobile()): Promise<Seller> {
  const res = await request(app).post('/api/v1/seller/auth').send({ mobile, otp: '1234' }).expect(201);
  return { token: res.body.token, id: res.body.account.id, mobile: res.body.account.mobile };
}

export function auth(token: string): [string, string] {
  return ['Authorization', `Bearer ${token}`];
}

export async function newStore(app: Express, seller: Seller, body: Partial<{ name: string; address: string }> = {}): Promise<StoreRef> {
  const res = await request(app)
    .post('/api/v1/seller/stores')
    .set(...auth(seller.token))
    .send({ name: 'Test Kirana', address: '1 Market Road, Pune', ...body })
    .expect(201);
  return res.body;
}

export async function newProduct(app: Express, seller: Seller, store: StoreRef, body: Record<string, unknown> = {}) {
  const res = await request(app)
    .post(`/api/v1/seller/stores/${store.id}/products`)
    .set(...auth(seller.token))
    .send({ name: 'Basmati Rice 1kg', mrp: 150, salePrice: 129.5, category: 'Groceries', ...body })
    .expect(201);
  return res.body as { id: string; name: string; category: { id: string; name: string }; image: string | null; [k: string]: unknown };
}
