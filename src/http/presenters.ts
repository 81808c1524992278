// Database rows to the contract's JSON: money as rupees, absolute links, ISO timestamps.
// URLs are an HTTP concern, so they are made here from PUBLIC_BASE_URL, not stored.
import { decimalToPaise, paiseToRupees } from '../domain/money';
import { lineTotal, totals, type PricedLine } from '../domain/totals';
import type { Permission } from '../domain/permissions';
import type { Account, Customer, Store, StoreMember, Webhook, WebhookDelivery } from '../generated/prisma/client';
import { eventId } from '../services/webhooks/webhook.service';
import type { Cart } from '../services/cart.service';
import type { OrderRow } from '../services/order.service';
import type { ProductView } from '../services/product.service';
import { previewFileOf, type Variant } from '../services/images/image-processor';

interface Line extends PricedLine {
  productId: string;
  name: string;
  image: string | null;
}

export class Presenter {
  constructor(private readonly baseUrl: string) {}

  storeLink(slug: string): string {
    return `${this.baseUrl}/${slug}`;
  }

  imageUrl(image: string | null): string | null {
    if (!image) return null;
    return /^https?:\/\//.test(image) ? image : `${this.baseUrl}/uploads/${image}`;
  }

  /** The WebP sizes of an uploaded image, ascending by width; null until it has them. */
  variants(stored: unknown): Array<{ width: number; height: number; url: string }> | null {
    if (!Array.isArray(stored) || stored.length === 0) return null;
    return (stored as Variant[]).map((v) => ({ width: v.width, height: v.height, url: `${this.baseUrl}/uploads/${v.file}` }));
  }

  /**
   * The link preview JPEG of a presented product (made with its variants, so only uploads that
   * have them have one); null for none or an image elsewhere.
   */
  previewImage(p: { image: string | null; imageVariants: unknown[] | null }): string | null {
    const prefix = `${this.baseUrl}/uploads/`;
    if (!p.image?.startsWith(prefix) || !p.imageVariants) return null;
    return prefix + previewFileOf(p.image.slice(prefix.length));
  }

  account(a: Account) {
    return { id: a.id, mobile: a.mobile, createdAt: a.createdAt.toISOString() };
  }

  /** A store as a seller sees it, with the caller's role and permissions in it. */
  store(s: Store, access: { role: 'owner' | 'staff'; permissions: readonly Permission[] }) {
    return {
      id: s.id,
      name: s.name,
      address: s.address,
      slug: s.slug,
      link: this.storeLink(s.slug),
      createdAt: s.createdAt.toISOString(),
      role: access.role,
      permissions: [...access.permissions],
    };
  }

  webhook(h: Webhook) {
    return { id: h.id, url: h.url, events: h.events, createdAt: h.createdAt.toISOString() };
  }

  delivery(d: WebhookDelivery) {
    return {
      id: d.id,
      eventId: eventId(d.eventId),
      type: d.type,
      attempt: d.attempt,
      status: d.status,
      responseStatus: d.responseStatus,
      createdAt: d.createdAt.toISOString(),
    };
  }

  staffMember(m: StoreMember) {
    return { id: m.id, mobile: m.mobile, name: m.name, permissions: m.permissions, createdAt: m.createdAt.toISOString() };
  }

  product(p: ProductView) {
    return {
      id: p.id,
      storeId: p.storeId,
      name: p.name,
      description: p.description,
      mrp: paiseToRupees(decimalToPaise(p.mrp)),
      salePrice: paiseToRupees(decimalToPaise(p.salePrice)),
      category: { id: p.category.id, name: p.category.name },
      image: this.imageUrl(p.image),
      imageVariants: this.variants(p.imageVariants),
      stock: p.stock,
      active: p.active,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
    };
  }

  publicStore(s: Store) {
    return { id: s.id, name: s.name, address: s.address, slug: s.slug, link: this.storeLink(s.slug) };
  }

  customer(c: Customer) {
    return { id: c.id, mobile: c.mobile, name: c.name, address: (c.address ?? null) as object | null };
  }

  cart(c: Cart) {
    return {
      id: c.id,
      storeId: c.storeId,
      storeLink: this.storeLink(c.slug),
      ...this.lines(c.lines),
      updatedAt: c.updatedAt.toISOString(),
    };
  }

  /** An order: the store sees who made each change; its customer sees only when. */
  order(o: OrderRow, view: 'customer' | 'seller' = 'customer') {
    const lines = o.lines.map((l) => ({
      productId: l.productId,
      name: l.name,
      image: l.image,
      mrp: decimalToPaise(l.mrp),
      salePrice: decimalToPaise(l.salePrice),
      qty: l.qty,
    }));
    return {
      id: o.id,
      storeId: o.storeId,
      customerId: o.customerId,
      status: o.status,
      ...this.lines(lines),
      address: (o.address ?? null) as object | null,
      createdAt: o.createdAt.toISOString(),
      updatedAt: o.updatedAt.toISOString(),
      history: o.history.map((h) =>
        view === 'seller'
          ? { status: h.status, at: h.at.toISOString(), by: { role: h.actorRole, accountId: h.actorId, mobile: h.actorMobile } }
          : { status: h.status, at: h.at.toISOString() },
      ),
    };
  }

  /** Items and totals: summed in paise, turned into rupees once, here. */
  private lines(lines: Line[]) {
    const t = totals(lines);
    return {
      items: lines.map((l) => ({
        productId: l.productId,
        name: l.name,
        image: this.imageUrl(l.image),
        mrp: paiseToRupees(l.mrp),
        salePrice: paiseToRupees(l.salePrice),
        qty: l.qty,
        lineTotal: paiseToRupees(lineTotal(l)),
      })),
      itemCount: t.itemCount,
      mrpTotal: paiseToRupees(t.mrpTotal),
      subtotal: paiseToRupees(t.subtotal),
      savings: paiseToRupees(t.savings),
    };
  }

  page<T, R>(page: { items: T[]; page: number; limit: number; total: number }, map: (item: T) => R) {
    return { items: page.items.map(map), page: page.page, limit: page.limit, total: page.total };
  }
}
