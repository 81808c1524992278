import type { Config } from '../../config';
import type { SmsProvider } from './sms-provider';

export class SmsGatewayError extends Error {
  override name = 'SmsGatewayError';
}

/**
 * An HTTP SMS gateway in the style of Africa's Talking: a form POST of username, to, message and
 * from, authenticated by an `apiKey` header. Any non-2xx answer, network error or timeout throws,
 * so the job queue retries it.
 */
export class HttpSmsProvider implements SmsProvider {
  readonly name = 'http';

  constructor(private readonly settings: Config['sms']['http']) {}

  async send(to: string, text: string): Promise<void> {
    const form = new URLSearchParams({ username: this.settings.username, to, message: text });
    if (this.settings.sender) form.set('from', this.settings.sender);
    let res: Response;
    try {
      res = await fetch(this.settings.url!, {
        method: 'POST',
        headers: { apiKey: this.settings.apiKey!, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (err) {
      throw new SmsGatewayError(`SMS gateway unreachable: ${(err as Error).message}`, { cause: err });
    }
    // Drain the body so the connection can be reused.
    const body = await res.text().catch(() => '');
    if (!res.ok) throw new SmsGatewayError(`SMS gateway answered ${res.status}: ${body.slice(0, 200)}`);
  }
}
