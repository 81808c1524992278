// What a store's event stream does, whichever way it is carried (Server-Sent Events or a
// WebSocket): the per-address cap, replay after Last-Event-ID, heartbeats, ending when the caller
// loses access, and ending at shutdown. The carriers (routers/events.router.ts, event-sockets.ts)
// only say how an event, a heartbeat and an ending look on their wire.
import type { Container } from '../container';
import { RateLimitedError } from '../domain/errors';
import type { Audience, EventHub, StreamEvent } from '../services/events/event-hub';
import { bearerClaims } from './middleware/auth';

/** Open streams per client address, on this instance (SSE and WebSockets together). */
export class StreamCount {
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

/** How seller streams are watched: the caller's session and store access are asked again this often. */
export const ACCESS_RECHECK_MS = 2_000;

/** One open stream's wire. */
export interface StreamCarrier {
  send(event: StreamEvent): void;
  /** Keeps an idle stream open through proxies. */
  heartbeat(): void;
  /** Ends the stream from our side: the caller lost access, or the server is stopping. */
  end(why: 'access-lost' | 'shutdown'): void;
  /** Calls `fn` once when the stream is gone, whoever ended it. */
  onClose(fn: () => void): void;
}

export interface StreamSpec {
  hub: EventHub;
  count: StreamCount;
  storeId: string;
  audience: Audience;
  heartbeatMs: number;
  ip: string;
  lastEventId: string | undefined;
  /** Asked every ACCESS_RECHECK_MS on seller streams: false ends the stream (access lost, session ended). */
  stillAllowed?: () => Promise<boolean>;
}

/**
 * Runs a stream until either side ends it. The per-address slot is taken first (429 beyond, thrown
 * before the carrier is opened, so before anything is sent), and everything is undone exactly once
 * on close.
 */
export async function runStream(openCarrier: () => StreamCarrier | Promise<StreamCarrier>, spec: StreamSpec): Promise<void> {
  spec.count.take(spec.ip);
  let carrier: StreamCarrier;
  try {
    carrier = await openCarrier();
  } catch (err) {
    spec.count.release(spec.ip);
    throw err;
  }
  let closed = false;
  let closeSubscription = (): void => undefined;
  const timers: { beat?: NodeJS.Timeout; watch?: NodeJS.Timeout } = {};
  // Registered before anything is awaited: a client may go while the stream is being opened.
  const forget = spec.hub.track(() => carrier.end('shutdown'));
  carrier.onClose(() => {
    if (closed) return;
    closed = true;
    clearInterval(timers.beat);
    clearInterval(timers.watch);
    closeSubscription();
    forget();
    spec.count.release(spec.ip);
  });
  const close = await spec.hub.open(spec.storeId, spec.audience, spec.lastEventId, (e) => {
    if (!closed) carrier.send(e);
  });
  if (closed) return close();
  closeSubscription = close;
  timers.beat = setInterval(() => carrier.heartbeat(), spec.heartbeatMs);
  const allowed = spec.stillAllowed;
  if (allowed) {
    timers.watch = setInterval(() => {
      allowed().then(
        (ok) => ok || carrier.end('access-lost'),
        () => undefined,
      );
    }, ACCESS_RECHECK_MS);
  }
}

const counts = new WeakMap<object, StreamCount>();

/** The one StreamCount of an app (its container): SSE and WebSocket streams share the cap. */
export function streamCountOf(container: Pick<Container, 'config'>): StreamCount {
  let count = counts.get(container);
  if (!count) counts.set(container, (count = new StreamCount(container.config.events.streamsPerIp)));
  return count;
}

/** For seller streams: whether the token's session still lives and its account still has `orders` in the store. */
export function sellerStillAllowed(
  { services }: Pick<Container, 'services'>,
  authorization: string | undefined,
  accountId: string,
  storeId: string,
): () => Promise<boolean> {
  return async () => {
    try {
      await bearerClaims(services.sessions, authorization, 'seller');
      await services.storeAccess.require(accountId, storeId, 'orders');
      return true;
    } catch {
      return false;
    }
  };
}
