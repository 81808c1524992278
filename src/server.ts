// Entry point: config → migrations → container → listen; clean shutdown on SIGTERM/SIGINT.
import type { Server, ServerResponse } from 'node:http';
import pino from 'pino';
import { createApp } from './app';
import { loadConfigOrExit } from './config';
import { createContainer, type Container } from './container';
import { ensureDatabase, migrate } from './db/migrate';
import { acceptEventSockets } from './http/event-sockets';
import { startBackground } from './jobs/background';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = pino({ level: config.logLevel });
  if (config.env === 'production' && config.otp.mode === 'bypass') {
    logger.warn(
      'OTP_MODE=bypass in production (OTP_BYPASS_ALLOWED=true): ANY OTP SIGNS IN AS ANY SELLER OR CUSTOMER. Use it for a demo only; set OTP_MODE=sms for real users.',
    );
  }
  if (config.jwt.generated) {
    logger.warn('JWT_SECRET is not set: using a random secret, so tokens stop working when the process restarts');
  }

  await ensureDatabase(config.databaseUrl);
  const { applied } = await migrate(config.databaseUrl);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const container = await createContainer(config, logger);
  const worker = config.workerInProcess ? startBackground(container) : undefined;
  const app = createApp(container);
  const server = app.listen(config.port, config.host, () => {
    logger.info({ port: config.port, host: config.host, publicBaseUrl: config.publicBaseUrl }, 'Dukaan API listening');
  });
  acceptEventSockets(server, app, container);
  server.on('error', (err) => {
    logger.fatal({ err }, 'server error');
    process.exit(1);
  });
  installShutdown(server, container, worker);
}

function installShutdown(server: Server, container: Container, worker?: { close(): Promise<void> }): void {
  const { logger, config } = container;
  let stopping = false;
  // close() leaves busy connections open, and a keep-alive client that keeps its connection busy
  // would hold shutdown open until the timeout. Once stopping, every answer not yet begun says
  // `Connection: close`, so each connection ends with the request it carries.
  const unanswered = new Set<ServerResponse>();
  const closeAfter = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  server.prependListener('request', (_req, res) => {
    if (stopping) return closeAfter(res);
    unanswered.add(res);
    res.once('close', () => unanswered.delete(res));
  });
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    unanswered.forEach(closeAfter);
    // Event streams never end by themselves: they end now, so close() can.
    container.services.events.endAll();
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    // Stop accepting; idle keep-alive sockets are closed so close() can complete.
    server.close(async () => {
      await worker?.close();
      await container.close();
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
