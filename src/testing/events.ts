/** Waits for lifecycle events on node:diagnostics_channel instead of sleeping. */
import diagnostics from 'node:diagnostics_channel';

export function nextEvent<T>(channel: string, match: (e: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const ch = diagnostics.channel(channel);
  return new Promise<T>((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if (!match(m as T)) return;
      done();
      resolve(m as T);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no matching ${channel} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      ch.unsubscribe(onMessage);
    };
    ch.subscribe(onMessage);
  });
}
