// Wires the dependency graph in one place. Tests build the same graph against their own
// database and Redis prefix, so what they exercise is what production runs.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config';
import { createPrisma, type Db } from './db/prisma';
import { closeRedis, createRedis, whenReady } from './db/redis';
import { Presenter } from './http/presenters';
import { AccountDeletion } from './services/account-deletion.service';
import { ArchivedProducts } from './services/archived-products';
import { EventHub } from './services/events/event-hub';
import { AuthService } from './services/auth.service';
import { CartService } from './services/cart.service';
import { CatalogService } from './services/catalog.service';
import { CategoryService } from './services/category.service';
import { HealthService } from './services/health.service';
import { CustomerService } from './services/customer.service';
import { ImageStore, PgImageFiles } from './services/images/image-store';
import { OrderService } from './services/order.service';
import { OidcSignIn } from './services/oidc.service';
import { OtpService } from './services/otp.service';
import { ProductImportService } from './services/product-import.service';
import { ProductService } from './services/product.service';
import { ProductSnapshots } from './services/product-snapshots';
import { RateLimiter } from './services/rate-limiter';
import { SellerOrderService } from './services/seller-order.service';
import { StaffService } from './services/staff.service';
import { StoreAccessService } from './services/store-access';
import { SellerService } from './services/seller.service';
import { SessionService } from './services/session.service';
import { SmsQueue } from './jobs/sms-queue';
import { WebhookQueue } from './jobs/webhook-queue';
import { SellerEventData } from './services/events/seller-data';
import { WebhookService } from './services/webhooks/webhook.service';
import { NotificationService } from './services/notification.service';
import { createSmsProvider } from './services/sms';
import type { SmsProvider } from './services/sms/sms-provider';
import { StoreVersions } from './services/store-versions';
import { StoreService } from './services/store.service';
import { TokenService } from './services/token.service';

export interface Container {
  config: Config;
  logger: Logger;
  db: Db;
  redis: Redis;
  presenter: Presenter;
  images: ImageStore;
  tokens: TokenService;
  /** Where SMS go: OTPs directly, notifications through the queue's worker. */
  sms: SmsProvider;
  smsQueue: SmsQueue;
  webhookQueue: WebhookQueue;
  services: {
    auth: AuthService;
    sessions: SessionService;
    oidc: OidcSignIn;
    accountDeletion: AccountDeletion;
    storeAccess: StoreAccessService;
    events: EventHub;
    staff: StaffService;
    sellers: SellerService;
    stores: StoreService;
    categories: CategoryService;
    products: ProductService;
    productImport: ProductImportService;
    catalog: CatalogService;
    customers: CustomerService;
    carts: CartService;
    orders: OrderService;
    sellerOrders: SellerOrderService;
    notifications: NotificationService;
    webhooks: WebhookService;
    health: HealthService;
  };
  close(): Promise<void>;
}

export interface Overrides {
  sms?: SmsProvider;
  /** How soon an unknown key id may make the OpenID provider's keys be fetched again (tests rotate keys at once). */
  oidcJwksCooldownMs?: number;
}

export async function createContainer(config: Config, logger: Logger, overrides: Overrides = {}): Promise<Container> {
  const db = createPrisma(config.databaseUrl);
  const redis = createRedis(config.redisUrl, config.redisKeyPrefix, config.redisCommandTimeoutMs);
  // A Redis outage must not crash the process; requests see it as 503 and probes as not ready.
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  if (!(await whenReady(redis))) logger.warn('Redis is not reachable yet: carts and OTPs answer 503 until it is');
  const images = new ImageStore(new PgImageFiles(db), config.uploadDir);

  const tokens = new TokenService(config.jwt.secret, config.jwt.ttlSeconds);
  const sms = overrides.sms ?? createSmsProvider(config, logger);
  const limiter = new RateLimiter(redis);
  const otp = new OtpService(redis, limiter, sms, { otp: config.otp, secret: config.jwt.secret });
  // One pipeline from the outbox (services/events): the hub feeds the streams, the relay (run by
  // jobs/background.ts) feeds SMS and webhooks; both say of an event what SellerEventData says.
  let describeOrder: (storeId: string, orderId: string) => Promise<object | null> = async () => null;
  const sellerData = new SellerEventData(db, (s, o) => describeOrder(s, o));
  const events = new EventHub(db, redis, logger, { pollMs: config.events.pollMs, sellerData });
  const versions = new StoreVersions(redis, logger, (storeId) => events.signal(storeId));
  const presenter = new Presenter(config.publicBaseUrl);
  const sessions = new SessionService(db, redis, tokens, config.jwt.refreshTtlSeconds, logger);
  const stores = new StoreService(db, versions);
  const categories = new CategoryService(db);
  const customers = new CustomerService(db);
  const catalog = new CatalogService(db, versions, stores, presenter, { renders: config.limits.catalogRenders });
  const carts = new CartService(
    redis,
    stores,
    new ProductSnapshots(db, versions),
    { ttlSeconds: config.cartTtlSeconds, emptyTtlSeconds: config.emptyCartTtlSeconds, perIpPerMinute: config.limits.cartsPerIpPerMinute },
    limiter,
    (slug) => catalog.store(slug),
  );
  const smsQueue = new SmsQueue(config);
  const storeAccess = new StoreAccessService(db, versions);
  const notifications = new NotificationService(db, smsQueue, logger, (storeId) => storeAccess.staffWith(storeId, 'orders'));
  const auth = new AuthService(db, otp, sessions, { default: config.mobileRegion, allowed: config.mobileAllowedRegions }, limiter, {
    perIp: config.limits.signInsPerIp,
    windowSeconds: config.limits.signInWindowSeconds,
  });
  const webhookQueue = new WebhookQueue(config);
  const webhooks = new WebhookService(db, sellerData, webhookQueue, {
    attempts: config.webhooks.attempts,
    timeoutMs: config.webhooks.timeoutMs,
    allowPrivateUrls: config.webhooks.allowPrivateUrls,
    // http:// outside production, or where private addresses are allowed (a local receiver has no TLS).
    allowHttp: config.env !== 'production' || config.webhooks.allowPrivateUrls,
  });
  const orders = new OrderService(db, carts, customers, versions, logger, config.limits.openOrdersPerCustomer, (storeId) =>
    events.signal(storeId),
  );
  describeOrder = async (storeId, orderId) => {
    const order = await orders.get({ storeId }, orderId).catch(() => null);
    if (!order) return null;
    // As it was when placed (its first history entry), however late this is read: each later
    // change has an event of its own. Lines and address never change.
    const placed = order.history[0];
    return presenter.order(
      { ...order, status: placed?.status ?? order.status, history: order.history.slice(0, 1), updatedAt: order.createdAt },
      'seller',
    );
  };
  events.start();

  return {
    config,
    logger,
    db,
    redis,
    presenter,
    images,
    tokens,
    sms,
    smsQueue,
    webhookQueue,
    services: {
      auth,
      sessions,
      oidc: new OidcSignIn(config.oidc && { ...config.oidc, jwksCooldownMs: overrides.oidcJwksCooldownMs }, db, auth),
      accountDeletion: new AccountDeletion(db, sessions, versions),
      sellers: new SellerService(db),
      stores,
      categories,
      products: new ProductService(db, categories, images, new ArchivedProducts(redis), versions, config.limits.storeImageQuotaBytes),
      productImport: new ProductImportService(db, redis, versions),
      catalog,
      customers,
      carts,
      orders,
      sellerOrders: new SellerOrderService(orders, customers, (mobile) => auth.mobile(mobile)),
      storeAccess,
      events,
      staff: new StaffService(db, versions, notifications),
      notifications,
      webhooks,
      health: new HealthService(db, redis),
    },
    async close() {
      // Streams end first; messages already being enqueued finish; then the connections go.
      await events.close();
      await notifications.drain();
      await Promise.allSettled([db.$disconnect(), closeRedis(redis), smsQueue.close(), webhookQueue.close()]);
    },
  };
}
