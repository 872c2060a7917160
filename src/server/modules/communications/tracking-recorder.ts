import type { AppDeps } from '../../platform/deps.js';
import { type EmailEventInput, recordEmailEvents } from './email-events.service.js';

/** An open or click as the tracking endpoints see it: the email by its (pixel) token or id. */
export type TrackedHit = Omit<EmailEventInput, 'emailId'> & ({ emailId: string } | { trackingToken: string });

interface Waiting {
  hit: TrackedHit;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** At most this many hits per transaction. */
const MAX_BATCH = 500;

/**
 * Group commit for tracking hits: each request waits until its event is committed (nothing is
 * acknowledged that could be lost), but hits arriving while a transaction runs share the next
 * one. Under load a few hundred pixels cost one transaction; alone, one costs one.
 */
export function createTrackingRecorder(deps: AppDeps) {
  let waiting: Waiting[] = [];
  let running = false;

  async function commit(batch: Waiting[]) {
    const tokens = [
      ...new Set(batch.flatMap((w) => ('trackingToken' in w.hit ? [w.hit.trackingToken] : []))),
    ];
    await deps.db.transaction().execute(async (trx) => {
      const byToken = new Map<string, string>();
      if (tokens.length > 0) {
        const rows = await trx
          .selectFrom('emails')
          .select(['id', 'tracking_token'])
          .where('tracking_token', 'in', tokens)
          .execute();
        for (const r of rows) byToken.set(r.tracking_token, r.id);
      }
      const events: EmailEventInput[] = [];
      for (const { hit } of batch) {
        const emailId = 'emailId' in hit ? hit.emailId : byToken.get(hit.trackingToken);
        // an unknown pixel token is nobody's open: dropped, and the pixel still served
        if (!emailId) continue;
        const { trackingToken: _t, ...rest } = hit as TrackedHit & { trackingToken?: string };
        events.push({ ...rest, emailId });
      }
      await recordEmailEvents(trx, deps.config, events);
    });
  }

  async function drain() {
    running = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, MAX_BATCH);
      waiting = waiting.slice(MAX_BATCH);
      try {
        await commit(batch);
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    running = false;
  }

  return {
    /** Resolves once the hit is stored (or known to belong to no email). */
    record(hit: TrackedHit): Promise<void> {
      return new Promise((resolve, reject) => {
        waiting.push({ hit, resolve, reject });
        if (!running) void drain();
      });
    },
  };
}

export type TrackingRecorder = ReturnType<typeof createTrackingRecorder>;
