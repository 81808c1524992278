// Database rows to the contract's JSON: money as rupees, absolute links, ISO timestamps.
// URLs are an HTTP concern, so they are made here from PUBLIC_BASE_URL, not stored.
import { decimalToPaise, paiseToRupees } from '../domain/money';
import type { Account, Store } from '../generated/prisma/client';
import type { ProductRow } from '../services/product.service';

export class Presenter {
  constructor(private readonly baseUrl: string) {}

  storeLink(slug: string): string {
    return `${this.baseUrl}/${slug}`;
  }

  imageUrl(image: string | null): string | null {
    if (!image) return null;
    return /^https?:\/\//.test(image) ? image : `${this.baseUrl}/uploads/${image}`;
  }

  account(a: Account) {
    return { id: a.id, mobile: a.mobile, createdAt: a.createdAt.toISOString() };
  }

  store(s: Store) {
    return { id: s.id, name: s.name, address: s.address, slug: s.slug, link: this.storeLink(s.slug), createdAt: s.createdAt.toISOString() };
  }

  product(p: ProductRow) {
    return {
      id: p.id,
      storeId: p.storeId,
      name: p.name,
      description: p.description,
      mrp: paiseToRupees(decimalToPaise(p.mrp)),
      salePrice: paiseToRupees(decimalToPaise(p.salePrice)),
      category: { id: p.category.id, name: p.category.name },
      image: this.imageUrl(p.image),
      stock: p.stock,
      active: p.active,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
    };
  }

  page<T, R>(page: { items: T[]; page: number; limit: number; total: number }, map: (item: T) => R) {
    return { items: page.items.map(map), page: page.page, limit: page.limit, total: page.total };
  }
}
