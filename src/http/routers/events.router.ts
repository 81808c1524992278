import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { slugParams } from '../../schemas/storefront.schema';
import { storeParams } from '../../schemas/store.schema';
import { runStream, sellerStillAllowed, streamCountOf, type StreamCarrier } from '../event-streams';
import type { ApiRouter } from '../api-router';

const streamQuery = z.object({
  lastEventId: z
    .string()
    .max(20)
    .optional()
    .meta({ description: 'Where to resume, for clients that cannot send the Last-Event-ID header' }),
});

/**
 * Server-Sent Events: `id:` (the store's event seq), `event:` (the type) and one-line JSON `data:`;
 * a comment line keeps idle streams open; Last-Event-ID (or ?lastEventId=) replays what was missed.
 */
function sse(req: Request, res: Response): StreamCarrier {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  res.write('retry: 2000\n\n');
  let ended = false;
  res.on('close', () => (ended = true));
  return {
    send: (e) => {
      if (!ended) res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
    },
    heartbeat: () => {
      if (!ended) res.write(': keep-alive\n\n');
    },
    end: () => {
      if (!ended) res.end();
      ended = true;
    },
    onClose: (fn) => {
      res.on('close', fn);
      if (req.destroyed) fn();
    },
  };
}

function lastEventIdOf(req: Request): string | undefined {
  return req.get('last-event-id') ?? (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined);
}

export function mountEvents(api: ApiRouter, container: Container): void {
  const { services, config } = container;
  const common = { hub: services.events, count: streamCountOf(container), heartbeatMs: config.events.heartbeatMs };
  const eventStream = {
    description: 'text/event-stream',
    contentType: 'text/event-stream',
    schema: z.string().meta({ example: 'id: 42\nevent: order.created\ndata: {...}\n\n' }),
  };

  api.route(
    {
      method: 'get',
      path: '/seller/stores/:storeId/events',
      tag: 'Events',
      summary: "The store's event stream (Server-Sent Events): orders and stock",
      description:
        'order.created (the order as the store sees it, as it was when placed), order.status_changed ({ orderId, from, to, at, by }), ' +
        'product.stock_changed ({ productId, stock, sold }). Each event has an id; a client that comes back with Last-Event-ID gets what ' +
        'was missed (or one `resync`). Closed within 5 seconds of the caller losing access, and when the access token it was opened ' +
        'with expires: open it again with a fresh token and Last-Event-ID, and nothing is lost. At most STREAMS_PER_IP per address (429). ' +
        'The same path accepts a WebSocket upgrade (bearer token on the upgrade request, ?lastEventId= to resume): each message is ' +
        '{ id, type, data } as JSON text.',
      auth: 'seller',
      store: 'orders',
      params: storeParams,
      query: streamQuery,
      responses: { 200: eventStream },
      errors: [429],
    },
    async ({ params, req, auth }, res) => {
      const stillAllowed = sellerStillAllowed(container, req.get('authorization'), auth.sub, params.storeId);
      const spec = { ...common, storeId: params.storeId, audience: 'seller' as const, ip: req.ip ?? 'unknown', stillAllowed };
      await runStream(() => sse(req, res), { ...spec, lastEventId: lastEventIdOf(req) });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/stores/:slug/events',
      tag: 'Events',
      summary: "A store's public event stream (Server-Sent Events): stock and catalog changes",
      description:
        'product.stock_changed ({ productId, stock }) and catalog.changed ({}: refetch the catalog). Come back with ' +
        'Last-Event-ID to get what was missed (or one `resync`). Stock events come at most once per product per second, the last ' +
        'value winning. At most STREAMS_PER_IP per address (429). The same path accepts a WebSocket upgrade (?lastEventId= to ' +
        'resume): each message is { id, type, data } as JSON text.',
      params: slugParams,
      query: streamQuery,
      responses: { 200: eventStream },
      errors: [410, 429],
    },
    async ({ params, req }, res) => {
      const store = await services.catalog.store(params.slug);
      await runStream(() => sse(req, res), {
        ...common,
        storeId: store.id,
        audience: 'public',
        ip: req.ip ?? 'unknown',
        lastEventId: lastEventIdOf(req),
      });
    },
  );
}
