// `npm run worker`: the background work on its own (run the API with WORKER_IN_PROCESS=false): the
// relay from the outbox, SMS and webhook deliveries. Any number of workers may run.
import pino from 'pino';
import { loadConfigOrExit } from '../config';
import { createContainer } from '../container';
import { startBackground } from './background';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = pino({ level: config.logLevel });
  const container = await createContainer(config, logger);
  const background = startBackground(container);
  logger.info({ provider: config.sms.provider }, 'worker started: relay, sms and webhooks');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Lets the jobs in hand finish; BullMQ hands unfinished ones to another worker later.
    await background.close();
    await container.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
