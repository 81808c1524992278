// A tiny HTTP SMS gateway on 127.0.0.1 for notification tests: it records what arrives, and can
// fail the first tries per number or hold requests open (a hung gateway).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSms {
  to: string;
  message: string;
  from: string | null;
  username: string | null;
  apiKey: string | undefined;
}

export class FakeSmsGateway {
  readonly delivered: ReceivedSms[] = [];
  readonly attempts = new Map<string, number>();
  /** Requests that arrived (delivered or not yet). */
  received = 0;
  /** Numbers whose first N tries get a 500. */
  failFirst = new Map<string, number>();
  /** When set, requests are held open and never answered. */
  hang = false;
  /** Milliseconds to wait before answering (a slow gateway). */
  delayMs = 0;
  private held: http.ServerResponse[] = [];
  private waiters: Array<() => void> = [];
  private server = http.createServer((req, res) => this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/version1/messaging`;
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Resolves once `predicate` holds for what was delivered (checked on every arrival). */
  until(predicate: (delivered: ReceivedSms[]) => boolean): Promise<void> {
    if (predicate(this.delivered)) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (predicate(this.delivered)) resolve();
        else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  held_count(): number {
    return this.held.length;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const to = form.get('to') ?? '';
      this.attempts.set(to, (this.attempts.get(to) ?? 0) + 1);
      if (this.hang) {
        this.held.push(res);
        this.notify();
        return;
      }
      const failures = this.failFirst.get(to) ?? 0;
      if (this.attempts.get(to)! <= failures) {
        res.writeHead(500).end('gateway trouble');
        this.notify();
        return;
      }
      const deliver = () => {
        this.delivered.push({
          to,
          message: form.get('message') ?? '',
          from: form.get('from'),
          username: form.get('username'),
          apiKey: req.headers.apikey as string | undefined,
        });
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"SMSMessageData":{"Recipients":[{"status":"Success"}]}}');
        this.notify();
      };
      if (this.delayMs > 0) {
        this.received += 1;
        this.notify();
        setTimeout(deliver, this.delayMs);
      } else deliver();
    });
  }

  private notify(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}
