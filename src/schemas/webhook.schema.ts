import { z } from 'zod';
import { id, listOf, timestamp } from './common';

/** What a webhook may subscribe to: the seller stream's types. */
export const WEBHOOK_EVENTS = ['order.created', 'order.status_changed', 'product.stock_changed'] as const;

export const webhookParams = z.object({ storeId: id, webhookId: id });

export const createWebhookBody = z
  .object({
    url: z.string().trim().min(1).max(2048).meta({ description: 'https:// (or http:// outside production), at a public address' }),
    events: z
      .array(z.enum(WEBHOOK_EVENTS))
      .min(1)
      .max(WEBHOOK_EVENTS.length * 4),
  })
  .strict()
  .meta({ id: 'CreateWebhook', example: { url: 'https://books.example/dukaan', events: ['order.created', 'order.status_changed'] } });

const webhookFields = {
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  createdAt: timestamp,
};
const example = {
  id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d90',
  url: 'https://books.example/dukaan',
  events: ['order.created', 'order.status_changed'],
  createdAt: '2026-12-02T10:00:00.000Z',
};

export const webhook = z.object(webhookFields).meta({ id: 'Webhook', example });

export const createdWebhook = z
  .object({
    ...webhookFields,
    secret: z.string().meta({ description: 'whsec_ + base64: the Standard Webhooks signing key. Shown only here.' }),
  })
  .meta({ id: 'CreatedWebhook', example: { ...example, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } });

export const webhookList = listOf(webhook).meta({ id: 'WebhookList' });

export const delivery = z
  .object({
    id: z.string(),
    eventId: z.string().meta({ description: 'The webhook-id header: evt_ and a number, unique across stores' }),
    type: z.enum(WEBHOOK_EVENTS),
    attempt: z.number().int().meta({ description: 'Attempts made so far' }),
    status: z.enum(['pending', 'delivered', 'failed']),
    responseStatus: z.number().int().nullable().meta({ description: "The last attempt's HTTP status; null when there was none" }),
    createdAt: timestamp,
  })
  .meta({
    id: 'WebhookDelivery',
    example: {
      id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4da0',
      eventId: 'evt_1042',
      type: 'order.created',
      attempt: 1,
      status: 'delivered',
      responseStatus: 204,
      createdAt: '2026-12-02T10:05:00.000Z',
    },
  });

export const deliveryList = listOf(delivery).meta({ id: 'WebhookDeliveryList' });
