// A webhook receiver on 127.0.0.1 for tests: it records every request, and answers each path as
// told: a list of answers taken in turn (a status, a redirect, or "hang": held open, never
// answered), the last one repeated.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

export type Answer = number | 'hang' | { redirect: string };

export class WebhookReceiver {
  readonly received: Received[] = [];
  private readonly plans = new Map<string, Answer[]>();
  private readonly held = new Set<http.ServerResponse>();
  private waiters: Array<() => void> = [];
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  base = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** A fresh path on this receiver, answered as `answers` say (default: 200 each time). */
  url(answers: Answer[] = [200]): string {
    const path = `/hook/${Math.random().toString(36).slice(2, 10)}`;
    this.plans.set(path, answers);
    return `${this.base}${path}`;
  }

  at(url: string): Received[] {
    const path = new URL(url).pathname;
    return this.received.filter((r) => r.path === path);
  }

  heldCount(): number {
    return this.held.size;
  }

  /** Resolves once `predicate` holds for what arrived (checked on every arrival; bounded). */
  until(predicate: (all: Received[]) => boolean, timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the receiver did not get what was awaited')), timeoutMs);
      const check = () => {
        if (!predicate(this.received)) return false;
        clearTimeout(timer);
        resolve();
        return true;
      };
      const waiter = () => {
        if (!check()) this.waiters.push(waiter);
      };
      waiter();
    });
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      this.received.push({ path, headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const plan = this.plans.get(path) ?? [200];
      const answer = plan.length > 1 ? plan.shift()! : plan[0]!;
      if (answer === 'hang') {
        this.held.add(res);
        res.on('close', () => this.held.delete(res));
      } else if (typeof answer === 'object') {
        res.writeHead(302, { location: answer.redirect }).end();
      } else {
        res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
      }
      const waiting = this.waiters;
      this.waiters = [];
      for (const w of waiting) w();
    });
  }
}
