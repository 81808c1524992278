// `npm run worker`: the notification worker on its own (run the API with WORKER_IN_PROCESS=false).
import pino from 'pino';
import { loadConfigOrExit } from '../config';
import { createSmsProvider } from '../services/sms';
import { startSmsWorker } from './sms-queue';

function main(): void {
  const config = loadConfigOrExit();
  const logger = pino({ level: config.logLevel });
  const worker = startSmsWorker(config, createSmsProvider(config, logger), logger);
  logger.info({ provider: config.sms.provider }, 'sms worker started');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Lets the job in hand finish; BullMQ hands unfinished ones to another worker later.
    await worker.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
