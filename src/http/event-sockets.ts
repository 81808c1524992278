// The event streams as WebSockets: the same two paths accept an upgrade (the `ws` library), with
// the same checks as their Server-Sent Events (the bearer token on the upgrade request, store
// access, the per-address cap) and the same stream (event-streams.ts). Each message is
// `{ id, type, data }` as JSON text; `?lastEventId=` resumes. A refusal is an HTTP answer with a
// problem+json body, before any upgrade.
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import proxyaddr from 'proxy-addr';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Container } from '../container';
import { NotFoundError } from '../domain/errors';
import { slugParams } from '../schemas/storefront.schema';
import { storeParams } from '../schemas/store.schema';
import type { StreamSpec } from './event-streams';
import { runStream, sellerStillAllowed, streamCountOf, type StreamCarrier } from './event-streams';
import { bearerClaims } from './middleware/auth';
import { toProblem } from './problem';

const SELLER = /^\/api\/v1\/seller\/stores\/([^/]+)\/events$/;
const PUBLIC = /^\/api\/v1\/stores\/([^/]+)\/events$/;
/** After a close frame, how long the other side has to answer before the socket is cut. */
const CLOSE_GRACE_MS = 1_000;
/** Sockets ws has taken over: past the handshake, a failure closes them rather than answering HTTP. */
const upgraded = new WeakSet<Duplex>();

/** Lets `server` upgrade the event stream paths to WebSockets (server.ts, and tests' live apps). */
export function acceptEventSockets(server: Server, app: Express, container: Container): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const trust = app.get('trust proxy fn') as Parameters<typeof proxyaddr>[1];
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    streamFor(req, trust, container)
      .then((spec) => runStream(() => upgrade(wss, req, socket, head), spec))
      .catch((err: unknown) => {
        if (toProblem(err).status >= 500) container.logger.warn({ err }, 'event socket failed');
        if (upgraded.has(socket)) socket.destroy();
        else refuse(socket, err);
      });
  });
}

/** What the upgrade asks for, checked as its HTTP twin checks it. */
async function streamFor(req: IncomingMessage, trust: Parameters<typeof proxyaddr>[1], container: Container): Promise<StreamSpec> {
  const { services, config } = container;
  const url = new URL(req.url ?? '/', 'http://localhost');
  // ?lastEventId= (a browser's WebSocket cannot send headers), or the header from clients that can.
  const lastEventId = url.searchParams.get('lastEventId') ?? header(req, 'last-event-id');
  const common = {
    hub: services.events,
    count: streamCountOf(container),
    heartbeatMs: config.events.heartbeatMs,
    ip: proxyaddr(req, trust),
    // Checked where every stream's is: one that is not a known position gets `resync`.
    lastEventId,
  };
  const seller = SELLER.exec(url.pathname);
  if (seller) {
    const { storeId } = storeParams.parse({ storeId: decodeURIComponent(seller[1]!) });
    const authorization = req.headers.authorization;
    const claims = await bearerClaims(services.sessions, authorization, 'seller');
    await services.storeAccess.require(claims.sub, storeId, 'orders');
    return { ...common, storeId, audience: 'seller', stillAllowed: sellerStillAllowed(container, authorization, claims.sub, storeId) };
  }
  const anyone = PUBLIC.exec(url.pathname);
  if (anyone) {
    const { slug } = slugParams.parse({ slug: decodeURIComponent(anyone[1]!) });
    const store = await services.catalog.store(slug);
    return { ...common, storeId: store.id, audience: 'public' };
  }
  throw new NotFoundError('WebSocket endpoint');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function upgrade(wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<StreamCarrier> {
  return new Promise((resolve, reject) => {
    // A handshake ws refuses (a bad key, a client gone) never calls back: the socket's close says so.
    const gone = () => reject(new Error('the WebSocket handshake did not complete'));
    socket.once('close', gone);
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded.add(socket);
      socket.off('close', gone);
      resolve(carrier(ws));
    });
  });
}

function carrier(ws: WebSocket): StreamCarrier {
  let alive = true;
  ws.on('pong', () => (alive = true));
  // Messages from the client mean nothing here.
  ws.on('message', () => undefined);
  ws.on('error', () => undefined);
  return {
    send: (e) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: e.id, type: e.type, data: e.data }));
    },
    // A ping each heartbeat; a client that did not answer the last one is gone.
    heartbeat: () => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    },
    end: (why) => {
      ws.close(why === 'shutdown' ? 1001 : 1008, why === 'shutdown' ? 'server stopping' : 'access lost');
      setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
    },
    onClose: (fn) => {
      ws.on('close', fn);
      if (ws.readyState === ws.CLOSED) fn();
    },
  };
}

/** The refusal as its HTTP twin would answer it (problem+json), then the socket is closed. */
function refuse(socket: Duplex, err: unknown): void {
  if (!socket.writable) return void socket.destroy();
  const problem = toProblem(err);
  const body = JSON.stringify(problem.body);
  const headers = {
    'Content-Type': 'application/problem+json',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
    ...problem.headers,
  };
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\n` +
      Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('') +
      `\r\n${body}`,
  );
}
