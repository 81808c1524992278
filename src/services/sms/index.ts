import type { Logger } from 'pino';
import type { Config } from '../../config';
import { ConsoleSmsProvider } from './console-provider';
import { HttpSmsProvider } from './http-provider';
import type { SmsProvider } from './sms-provider';

export function createSmsProvider(config: Config, logger: Logger): SmsProvider {
  return config.sms.provider === 'http' ? new HttpSmsProvider(config.sms.http) : new ConsoleSmsProvider(logger);
}
