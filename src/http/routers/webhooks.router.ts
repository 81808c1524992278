import type { Container } from '../../container';
import { pagination } from '../../schemas/common';
import { storeParams } from '../../schemas/store.schema';
import { createdWebhook, createWebhookBody, deliveryList, webhookList, webhookParams } from '../../schemas/webhook.schema';
import { MAX_WEBHOOKS } from '../../services/webhooks/webhook.service';
import type { ApiRouter } from '../api-router';

/** A store's webhooks (permission `settings`). */
export function mountWebhooks(api: ApiRouter, { services, presenter }: Container): void {
  api.route(
    {
      method: 'post',
      path: '/seller/stores/:storeId/webhooks',
      tag: 'Webhooks',
      summary: 'Register a webhook',
      description:
        'Each committed event of the chosen types is POSTed as JSON { id, type, storeId, createdAt, data } with the Standard Webhooks ' +
        'headers (webhook-id, webhook-timestamp, webhook-signature), signed with the secret this answer shows once. A 2xx within 10 s ' +
        'is delivered; anything else is tried again with exponential backoff (WEBHOOK_ATTEMPTS, over about a day); redirects are not ' +
        `followed. The URL must resolve to public addresses only (400). At most ${MAX_WEBHOOKS} per store (409).`,
      auth: 'seller',
      store: 'settings',
      params: storeParams,
      body: createWebhookBody,
      responses: { 201: { description: 'The webhook, with its secret', schema: createdWebhook } },
      errors: [409],
    },
    async ({ params, body }, res) => {
      const hook = await services.webhooks.create(params.storeId, body);
      res.status(201).json({ ...presenter.webhook(hook), secret: hook.secret });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/seller/stores/:storeId/webhooks',
      tag: 'Webhooks',
      summary: "The store's webhooks (without their secrets)",
      auth: 'seller',
      store: 'settings',
      params: storeParams,
      responses: { 200: { description: 'The webhooks, first registered first', schema: webhookList } },
    },
    async ({ params }, res) => {
      const items = await services.webhooks.list(params.storeId);
      res.json(presenter.page({ items, page: 1, limit: MAX_WEBHOOKS, total: items.length }, (h) => presenter.webhook(h)));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/seller/stores/:storeId/webhooks/:webhookId',
      tag: 'Webhooks',
      summary: 'Delete a webhook (its deliveries not yet made are dropped)',
      auth: 'seller',
      store: 'settings',
      params: webhookParams,
      responses: { 204: { description: 'Deleted' } },
    },
    async ({ params }, res) => {
      await services.webhooks.remove(params.storeId, params.webhookId);
      res.status(204).end();
    },
  );

  api.route(
    {
      method: 'get',
      path: '/seller/stores/:storeId/webhooks/:webhookId/deliveries',
      tag: 'Webhooks',
      summary: "A webhook's deliveries, newest first",
      description:
        'Each event sent to the webhook: attempts made so far, pending / delivered / failed, the last HTTP status. Kept at least 7 days.',
      auth: 'seller',
      store: 'settings',
      params: webhookParams,
      query: pagination,
      responses: { 200: { description: 'A page of deliveries', schema: deliveryList } },
    },
    async ({ params, query }, res) => {
      const found = await services.webhooks.deliveries(params.storeId, params.webhookId, query);
      res.json(presenter.page(found, (d) => presenter.delivery(d)));
    },
  );
}
