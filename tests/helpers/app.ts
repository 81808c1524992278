import type { Express } from 'express';
import pino from 'pino';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createContainer, type Container, type Overrides } from '../../src/container';

export interface TestApp {
  app: Express;
  container: Container;
  close(): Promise<void>;
}

/**
 * The real app on the run's own PostgreSQL database and Redis prefix: the same graph
 * server.ts builds, with env overrides (small rate limits, sms mode, ...) where a test needs them.
 */
export async function buildTestApp(env: Record<string, string> = {}, overrides: Overrides = {}): Promise<TestApp> {
  const config = loadConfig({ ...process.env, ...env });
  const container = await createContainer(config, pino({ level: 'silent' }), overrides);
  return { app: createApp(container), container, close: () => container.close() };
}

/** Two instances of the app on one database and one Redis prefix, as two server processes would be. */
export async function buildTwoInstances(label: string): Promise<[TestApp, TestApp]> {
  const shared = { REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}${label}:` };
  const [a, b] = await Promise.all([buildTestApp(shared), buildTestApp(shared)]);
  return [a, b];
}
