// Reading a Server-Sent Events stream as it arrives (tests and the bench are its clients).

export interface SseEvent {
  id: string;
  type: string;
  /** The `data:` line, as sent (one line of JSON here). */
  data: string;
}

/** Returns a function to feed with the stream's text chunks; it calls `onEvent` for each complete event (comments are skipped). */
export function sseReader(onEvent: (event: SseEvent) => void): (chunk: string) => void {
  let buffer = '';
  return (chunk) => {
    buffer += chunk;
    let at: number;
    while ((at = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        if (!line || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ''));
      }
      const type = fields.get('event');
      if (type) onEvent({ id: fields.get('id') ?? '', type, data: fields.get('data') ?? '' });
    }
  };
}
