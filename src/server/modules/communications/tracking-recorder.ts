import type { AppDeps } from '../../platform/deps.js';
import { type EmailEventInput, recordEmailEvents } from './email-events.service.js';

interface Waiting {
  hit: EmailEventInput;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** At most this many hits per statement. */
const MAX_BATCH = 500;
const GATHER_MS = 1;

/**
 * Group commit for tracking hits: each request waits until its event is committed (nothing is
 * acknowledged that could be lost), but hits arriving while a statement runs share the next
 * one. Under load a few hundred pixels cost one commit; alone, one costs one.
 */
export function createTrackingRecorder(deps: AppDeps) {
  let waiting: Waiting[] = [];
  let running = false;

  // PGlite runs each statement on this thread, so no request is read while one runs: before the
  // next, let the requests that arrived meanwhile reach the queue, or every batch holds one hit
  const gather =
    deps.database.engine === 'pglite' ? () => new Promise((r) => setTimeout(r, GATHER_MS)) : null;

  async function drain() {
    running = true;
    while (waiting.length > 0) {
      if (gather) await gather();
      const batch = waiting.slice(0, MAX_BATCH);
      waiting = waiting.slice(MAX_BATCH);
      try {
        await recordEmailEvents(
          deps.db,
          deps.config,
          batch.map((w) => w.hit),
        );
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    running = false;
  }

  return {
    /** Resolves once the hit is stored (or known to belong to no email). */
    record(hit: EmailEventInput): Promise<void> {
      return new Promise((resolve, reject) => {
        waiting.push({ hit, resolve, reject });
        if (!running) void drain();
      });
    },
  };
}

export type TrackingRecorder = ReturnType<typeof createTrackingRecorder>;
