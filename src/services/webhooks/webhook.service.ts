import { randomBytes } from 'node:crypto';
import { Webhook as Signer } from 'standardwebhooks';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/prisma';
import { BadRequestError, ConflictError, NotFoundError } from '../../domain/errors';
import type { Prisma, Webhook, WebhookDelivery } from '../../generated/prisma/client';
import type { Pagination } from '../../schemas/common';
import type { EventType } from '../events/outbox';
import type { Page } from '../store.service';
import type { AfterCommit, EventConsumer, RelayedEvent } from '../events/relay';
import type { SellerEventData } from '../events/seller-data';
import { addressesOf, isPublicAddress } from './addresses';
import { postWebhook, type SendResult } from './sender';

/** Webhooks a store may have. */
export const MAX_WEBHOOKS = 10;

export interface WebhookJob {
  deliveryId: string;
}

export interface WebhookOptions {
  attempts: number;
  timeoutMs: number;
  /** Loopback and private addresses allowed (local development, tests). */
  allowPrivateUrls: boolean;
  /** http:// allowed besides https:// (outside production). */
  allowHttp: boolean;
}

export interface DeliveryQueue {
  enqueue(...jobs: Array<{ data: WebhookJob; id?: string }>): Promise<void>;
}

/**
 * A store's webhooks: registration (with the address checks), and delivery. Deliveries are one
 * consumer of the event pipeline: for each committed event, each of the store's webhooks that
 * wants its type gets a delivery row (its body made then, so every retry sends the same bytes)
 * and a queue job; the job POSTs it with Standard Webhooks headers and records each attempt.
 */
export class WebhookService implements EventConsumer {
  constructor(
    private readonly db: Db,
    private readonly sellerData: SellerEventData,
    private readonly queue: DeliveryQueue,
    private readonly options: WebhookOptions,
  ) {}

  async create(storeId: string, input: { url: string; events: EventType[] }): Promise<Webhook> {
    await this.checkUrl(input.url);
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    return this.db.$transaction(async (tx) => {
      // The store row's lock makes racing registrations count each other.
      await tx.$queryRaw`SELECT 1 FROM stores WHERE id = ${storeId}::uuid FOR UPDATE`;
      if ((await tx.webhook.count({ where: { storeId } })) >= MAX_WEBHOOKS) {
        throw new ConflictError(`A store has at most ${MAX_WEBHOOKS} webhooks. Delete one first.`, 'webhook-limit');
      }
      return tx.webhook.create({ data: { storeId, url: input.url, events: [...new Set(input.events)], secret } });
    });
  }

  list(storeId: string): Promise<Webhook[]> {
    return this.db.webhook.findMany({ where: { storeId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  async remove(storeId: string, webhookId: string): Promise<void> {
    const { count } = await this.db.webhook.deleteMany({ where: { id: webhookId, storeId } });
    if (count === 0) throw new NotFoundError('Webhook');
  }

  /** A webhook's deliveries, newest first (kept at least 7 days). */
  async deliveries(storeId: string, webhookId: string, { page, limit }: Pagination): Promise<Page<WebhookDelivery>> {
    const hook = await this.db.webhook.findFirst({ where: { id: webhookId, storeId }, select: { id: true } });
    if (!hook) throw new NotFoundError('Webhook');
    const [items, total] = await Promise.all([
      this.db.webhookDelivery.findMany({
        where: { webhookId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: (page - 1) * limit,
        take: limit,
      }),
      this.db.webhookDelivery.count({ where: { webhookId } }),
    ]);
    return { items, page, limit, total };
  }

  /**
   * The relay's hand-off: a delivery per event and webhook that wants it (again after a crash: the
   * same one). Its job is queued once the row has committed (the job reads it).
   */
  async consume(tx: Prisma.TransactionClient, events: RelayedEvent[]): Promise<AfterCommit | void> {
    const storeIds = [...new Set(events.map((e) => e.storeId))];
    const hooks = await tx.webhook.findMany({ where: { storeId: { in: storeIds } }, select: { id: true, storeId: true, events: true } });
    if (hooks.length === 0) return;
    const jobs: Array<{ data: WebhookJob; id: string }> = [];
    for (const event of events) {
      const wanting = hooks.filter((h) => h.storeId === event.storeId && h.events.includes(event.type));
      if (wanting.length === 0) continue;
      const data = await this.sellerData.of(event.storeId, event);
      if (!data) continue;
      const body = JSON.stringify({ id: eventId(event.id), type: event.type, storeId: event.storeId, createdAt: event.createdAt, data });
      for (const hook of wanting) {
        const rows = await tx.$queryRaw<Array<{ id: string }>>`
          INSERT INTO webhook_deliveries (id, webhook_id, event_id, type, body)
          VALUES (${uuidv7()}::uuid, ${hook.id}::uuid, ${event.id}, ${event.type}, ${body})
          ON CONFLICT (webhook_id, event_id) DO UPDATE SET type = EXCLUDED.type RETURNING id`;
        jobs.push(deliveryJob(rows[0]!.id));
      }
    }
    if (jobs.length > 0) return () => this.queue.enqueue(...jobs);
  }

  /**
   * Deliveries never tried a minute after they were made: their job was lost between the commit
   * and the queue (a crash, Redis away). Queued again under the same job id, so one still queued
   * is not queued twice.
   */
  async sweep(): Promise<void> {
    const stranded = await this.db.webhookDelivery.findMany({
      // The last day's only (an index range): older ones would be past their retries anyway.
      where: { status: 'pending', attempt: 0, createdAt: { lt: new Date(Date.now() - 60_000), gt: new Date(Date.now() - 86_400_000) } },
      select: { id: true },
      take: 1_000,
    });
    if (stranded.length > 0) await this.queue.enqueue(...stranded.map((d) => deliveryJob(d.id)));
  }

  /**
   * One attempt of a delivery (`attempt` counts from 1). Resolves when it was delivered (or is no
   * longer owed: delivered already, webhook deleted); throws when it should be tried again.
   */
  async attempt(deliveryId: string, attempt: number): Promise<void> {
    const rows = await this.db.$queryRaw<Array<{ status: string; event_id: bigint; body: string; url: string; secret: string }>>`
      SELECT d.status, d.event_id, d.body, w.url, w.secret FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
      WHERE d.id = ${deliveryId}::uuid`;
    const d = rows[0];
    if (!d || d.status === 'delivered') return;
    const id = eventId(d.event_id);
    const sentAt = new Date();
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': new Signer(d.secret).sign(id, sentAt, d.body),
    };
    const result: SendResult = await postWebhook(d.url, headers, d.body, {
      timeoutMs: this.options.timeoutMs,
      allowPrivate: this.options.allowPrivateUrls,
    });
    const delivered = result.status !== null && result.status >= 200 && result.status < 300;
    const status = delivered ? 'delivered' : attempt >= this.options.attempts ? 'failed' : 'pending';
    await this.db.webhookDelivery.updateMany({
      where: { id: deliveryId, status: { not: 'delivered' } },
      data: { attempt, status, responseStatus: result.status },
    });
    if (!delivered) throw new Error(result.error ?? `the receiver answered ${result.status}`);
  }

  /** https:// (or http:// outside production), no credentials, and a public address unless allowed otherwise. */
  private async checkUrl(raw: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new BadRequestError('url is not a URL.', 'webhook-url');
    }
    const schemes = this.options.allowHttp ? ['https:', 'http:'] : ['https:'];
    if (!schemes.includes(url.protocol))
      throw new BadRequestError(`url must start with ${this.options.allowHttp ? 'https:// or http://' : 'https://'}.`, 'webhook-url');
    if (url.username || url.password) throw new BadRequestError('url must not hold a user name or password.', 'webhook-url');
    if (this.options.allowPrivateUrls) return;
    let addresses: string[];
    try {
      addresses = await addressesOf(url.hostname);
    } catch {
      throw new BadRequestError(`${url.hostname} does not resolve to an address.`, 'webhook-url');
    }
    const internal = addresses.find((a) => !isPublicAddress(a));
    if (internal) {
      throw new BadRequestError(
        `${url.hostname} resolves to ${internal}, a loopback, private or otherwise internal address: webhooks go to public addresses only.`,
        'webhook-url',
      );
    }
  }
}

function deliveryJob(deliveryId: string): { data: WebhookJob; id: string } {
  return { data: { deliveryId }, id: `whd-${deliveryId}` };
}

/** The webhook-id of an event: unique across stores, the same on every retry. */
export function eventId(id: bigint): string {
  return `evt_${id}`;
}
