import type { Logger } from 'pino';
import type { SmsProvider } from './sms-provider';

/** Development provider: the message goes to the log instead of a phone. */
export class ConsoleSmsProvider implements SmsProvider {
  readonly name = 'console';
  constructor(private readonly logger: Logger) {}

  async send(to: string, text: string): Promise<void> {
    this.logger.info({ sms: { to, text } }, 'SMS (console provider)');
  }
}
