import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { RateLimitedError } from '../../domain/errors';
import type { Audience, EventHub } from '../../services/events/event-hub';
import { storeParams } from '../../schemas/store.schema';
import { slugParams } from '../../schemas/storefront.schema';
import type { ApiRouter } from '../api-router';

const streamQuery = z.object({
  lastEventId: z
    .string()
    .max(20)
    .optional()
    .meta({ description: 'Where to resume, for clients that cannot send the Last-Event-ID header' }),
});

/** Open streams per client address, on this instance. */
class StreamCount {
  private readonly open = new Map<string, number>();
  constructor(private readonly max: number) {}

  take(ip: string): void {
    const n = this.open.get(ip) ?? 0;
    if (n >= this.max) throw new RateLimitedError(30, `At most ${this.max} open streams per address. Close one first.`);
    this.open.set(ip, n + 1);
  }

  release(ip: string): void {
    const n = (this.open.get(ip) ?? 1) - 1;
    if (n <= 0) this.open.delete(ip);
    else this.open.set(ip, n);
  }
}

interface StreamSpec {
  hub: EventHub;
  count: StreamCount;
  storeId: string;
  audience: Audience;
  heartbeatMs: number;
  /** Asked every 2 s on seller streams: false ends the stream (access lost, session ended). */
  stillAllowed?: () => Promise<boolean>;
}

/**
 * Server-Sent Events: `id:` (the store's event seq), `event:` (the type) and one-line JSON `data:`;
 * a comment line keeps idle streams open; Last-Event-ID (or ?lastEventId=) replays what was missed.
 */
async function stream(req: Request, res: Response, spec: StreamSpec): Promise<void> {
  const ip = req.ip ?? 'unknown';
  spec.count.take(ip);
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  res.write('retry: 2000\n\n');
  let ended = false;
  const end = () => {
    if (!ended) res.end();
    ended = true;
  };
  let closeSubscription = (): void => undefined;
  const timers: { beat?: NodeJS.Timeout; watch?: NodeJS.Timeout } = {};
  let cleaned = false;
  // Registered before anything is awaited: a client may go while the stream is being opened.
  const forget = spec.hub.track(end);
  res.on('close', () => {
    ended = true;
    if (cleaned) return;
    cleaned = true;
    clearInterval(timers.beat);
    clearInterval(timers.watch);
    closeSubscription();
    forget();
    spec.count.release(ip);
  });
  const lastEventId = req.get('last-event-id') ?? (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined);
  const close = await spec.hub.open(spec.storeId, spec.audience, lastEventId, (e) => {
    if (!ended) res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
  });
  if (cleaned) return close();
  closeSubscription = close;
  timers.beat = setInterval(() => res.write(': keep-alive\n\n'), spec.heartbeatMs);
  if (spec.stillAllowed) {
    const allowed = spec.stillAllowed;
    timers.watch = setInterval(() => {
      allowed().then(
        (ok) => ok || end(),
        () => undefined,
      );
    }, 2_000);
  }
}

export function mountEvents(api: ApiRouter, { services, config }: Container): void {
  const count = new StreamCount(config.events.streamsPerIp);
  const common = { hub: services.events, count, heartbeatMs: config.events.heartbeatMs };
  const sse = {
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
        'order.created (the order as the store sees it), order.status_changed ({ orderId, from, to, at, by }), ' +
        'product.stock_changed ({ productId, stock, sold }). Each event has an id; a client that comes back with Last-Event-ID gets what ' +
        'was missed (or one `resync`). Closed within 5 seconds of the caller losing access. At most STREAMS_PER_IP per address (429).',
      auth: 'seller',
      store: 'orders',
      params: storeParams,
      query: streamQuery,
      responses: { 200: sse },
      errors: [429],
    },
    async ({ params, req, auth }, res) => {
      const token = /^Bearer\s+(\S+)/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
      await stream(req, res, {
        ...common,
        storeId: params.storeId,
        audience: 'seller',
        stillAllowed: async () => {
          try {
            await services.sessions.authenticate(token);
            await services.storeAccess.require(auth.sub, params.storeId, 'orders');
            return true;
          } catch {
            return false;
          }
        },
      });
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
        'Last-Event-ID to get what was missed (or one `resync`). At most STREAMS_PER_IP per address (429).',
      params: slugParams,
      query: streamQuery,
      responses: { 200: sse },
      errors: [410, 429],
    },
    async ({ params, req }, res) => {
      const store = await services.catalog.store(params.slug);
      await stream(req, res, { ...common, storeId: store.id, audience: 'public' });
    },
  );
}
