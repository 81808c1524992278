// A TCP proxy on 127.0.0.1 that a test controls, to produce network faults for real:
// `cut()` drops every connection and refuses new ones; `blackhole()` keeps connections open but
// lets nothing through (a silent partition); `restore()` forwards again.
import net from 'node:net';

export class TcpProxy {
  private server = net.createServer((client) => this.accept(client));
  private pairs = new Set<[net.Socket, net.Socket]>();
  private mode: 'pass' | 'blackhole' = 'pass';
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  url(protocol: string, rest = ''): string {
    return `${protocol}://127.0.0.1:${this.port}${rest}`;
  }

  /** Every connection dropped, new ones refused (the listener is closed). */
  async cut(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    this.destroyAll();
    await closed;
  }

  /** Connections stay open but carry nothing, in either direction. */
  blackhole(): void {
    this.mode = 'blackhole';
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  async restore(): Promise<void> {
    this.mode = 'pass';
    this.destroyAll();
    if (!this.server.listening) {
      this.server = net.createServer((client) => this.accept(client));
      await this.start();
    }
  }

  async stop(): Promise<void> {
    this.destroyAll();
    if (this.server.listening) await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.pairs.add(pair);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    if (this.mode === 'blackhole') {
      client.pause();
      return;
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private destroyAll(): void {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }
}
