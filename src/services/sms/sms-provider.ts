/** Where text messages go. Providers differ; callers only ever see this. */
export interface SmsProvider {
  readonly name: string;
  send(to: string, text: string): Promise<void>;
}
