// One POST to a webhook receiver: no redirects followed (a 3xx is an answer, not delivered), a
// deadline for the whole exchange, and only public addresses unless allowed otherwise.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { bareHost, isPublicAddress, publicOnlyLookup } from './addresses';

export interface SendResult {
  /** The receiver's status, or null when there was none (refused, timed out, address refused). */
  status: number | null;
  error?: string;
}

// Keep-alive: a store's deliveries go to the same receiver again and again.
const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 64 }), https: new https.Agent({ keepAlive: true, maxSockets: 64 }) };

export function postWebhook(
  target: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<SendResult> {
  return new Promise((resolve) => {
    const url = new URL(target);
    const literal = bareHost(url.hostname);
    // An IP literal is never looked up, so it is checked here.
    if (!options.allowPrivate && isIP(literal) && !isPublicAddress(literal)) {
      return resolve({ status: null, error: `${literal} is not a public address` });
    }
    const secure = url.protocol === 'https:';
    const req = (secure ? https : http).request(url, {
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'Dukaan-Webhooks/1',
        ...headers,
      },
      ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
    });
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const deadline = setTimeout(() => {
      req.destroy();
      finish({ status: null, error: `no answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    req.on('response', (res) => {
      // The status is the answer; the body is read and dropped so the connection can be reused
      // (a body that never ends is cut at the deadline).
      finish({ status: res.statusCode ?? null });
      res.resume();
      res.on('end', () => clearTimeout(deadline));
      res.on('error', () => undefined);
    });
    req.on('error', (err) => {
      clearTimeout(deadline);
      finish({ status: null, error: err.message || err.name });
    });
    req.end(body);
  });
}
