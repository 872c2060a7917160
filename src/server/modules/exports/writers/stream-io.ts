import { once } from 'node:events';
import { finished } from 'node:stream/promises';

/**
 * Waits for `emitter` to emit `event`, but gives up with the error if `out` fails first: a full
 * disk must fail the export, not leave it waiting for a 'drain' that never comes.
 */
export async function waitFor(emitter: NodeJS.EventEmitter, event: string, out: NodeJS.WritableStream) {
  const ac = new AbortController();
  try {
    await Promise.race([
      once(emitter, event, { signal: ac.signal }),
      once(out, 'error', { signal: ac.signal }).then(([err]) => Promise.reject(err)),
    ]);
  } finally {
    ac.abort();
  }
}

/** Writes one chunk and, when the stream's buffer is full, waits until it has drained. */
export async function writeChunk(out: NodeJS.WritableStream, chunk: string | Uint8Array) {
  if (!out.write(chunk)) await waitFor(out, 'drain', out);
}

/** Resolves once `out` has flushed everything (or rejects with its error). */
export function flushed(out: NodeJS.WritableStream) {
  return finished(out);
}
