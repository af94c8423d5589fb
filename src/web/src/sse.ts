/**
 * Server-sent events over fetch, because EventSource cannot send the Authorization header.
 * Calls onEvent for each event; resolves when the stream ends; rejects on HTTP errors.
 */
import { ApiClient } from './api.ts';

export interface SseEvent {
  event: string;
  data: string;
}

export async function streamEvents(api: ApiClient, path: string, onEvent: (event: SseEvent) => void, signal: AbortSignal): Promise<void> {
  const response = await api.raw(path, { headers: { accept: 'text/event-stream' }, signal });
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let index: number;
    while ((index = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = text;
        else if (field === 'data') data.push(text);
      }
      if (data.length > 0) onEvent({ event, data: data.join('\n') });
    }
  }
}

/**
 * Keeps a view live: follows the SSE stream when the server has one, otherwise polls.
 * `refresh` re-reads the resource; it runs on every event and every poll. Stop with the signal.
 */
export function keepLive(api: ApiClient, eventsPath: string | undefined, refresh: () => Promise<void>, signal: AbortSignal, pollMs = 5000): void {
  const poll = (): void => {
    const timer = window.setInterval(() => {
      if (signal.aborted) window.clearInterval(timer);
      else refresh().catch(() => undefined);
    }, pollMs);
    signal.addEventListener('abort', () => window.clearInterval(timer));
  };
  if (!eventsPath) {
    poll();
    return;
  }
  streamEvents(api, eventsPath, () => void refresh().catch(() => undefined), signal).then(
    () => {
      if (!signal.aborted) poll();
    },
    () => {
      if (!signal.aborted) poll();
    },
  );
}
