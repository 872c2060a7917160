import type { z } from 'zod';
import type { TrackResult, trackEventSchema, trackRequestSchema } from '../../../shared/communications.js';
import type { AppDeps } from '../../platform/deps.js';
import { type EmailEventInput, recordEmailEvents } from './email-events.service.js';
import { changePreferences } from './preferences.service.js';

type TrackEvent = z.output<typeof trackEventSchema>;
type TrackRequest = z.output<typeof trackRequestSchema>;

/** Message-IDs are stored bare; providers send them with or without angle brackets. */
const bareMessageId = (id: string) => id.trim().replace(/^<|>$/g, '');

/**
 * Events from the platform's mail system or a provider, by email id or Message-ID, in one
 * transaction. A provider event id makes a retry harmless; without one the natural key (email,
 * event, time, link) does. A complaint also turns the customer's marketing email off.
 */
export async function trackEvents(deps: AppDeps, body: TrackRequest): Promise<TrackResult> {
  const events: TrackEvent[] = 'events' in body ? body.events : [body];
  return deps.db.transaction().execute(async (trx) => {
    const ids = [...new Set(events.flatMap((e) => (e.email_id ? [e.email_id] : [])))];
    const messageIds = [
      ...new Set(events.flatMap((e) => (e.message_id ? [bareMessageId(e.message_id)] : []))),
    ];
    const found = await trx
      .selectFrom('emails')
      .select(['id', 'message_id', 'customer_id', 'direction'])
      .where((eb) =>
        eb.or([
          ...(ids.length > 0 ? [eb('id', 'in', ids)] : []),
          ...(messageIds.length > 0 ? [eb('message_id', 'in', messageIds)] : []),
        ]),
      )
      .where('direction', '=', 'outbound')
      .execute();
    const byId = new Map(found.map((f) => [f.id, f]));
    const byMessageId = new Map(found.map((f) => [f.message_id, f]));

    const emailIds = [...byId.keys()];
    const links =
      emailIds.length > 0 && events.some((e) => e.url)
        ? await trx
            .selectFrom('email_links')
            .select(['email_id', 'position', 'url'])
            .where('email_id', 'in', emailIds)
            .execute()
        : [];

    const inputs: EmailEventInput[] = [];
    const complaints = new Map<string, string>();
    let unknown = 0;
    for (const e of events) {
      const email = e.email_id ? byId.get(e.email_id) : byMessageId.get(bareMessageId(e.message_id ?? ''));
      if (!email) {
        unknown += 1;
        continue;
      }
      const occurredAt = e.occurred_at ? new Date(e.occurred_at) : new Date();
      const link = e.url ? links.find((l) => l.email_id === email.id && l.url === e.url) : undefined;
      inputs.push({
        emailId: email.id,
        kind: e.event,
        occurredAt,
        source: 'track',
        linkPosition: link?.position ?? null,
        userAgent: e.user_agent ?? null,
        ip: e.ip ?? null,
        machine: e.machine === true,
        dedupeKey: e.event_id
          ? `track:${e.event_id}`
          : `track:${email.id}:${e.event}:${occurredAt.toISOString()}:${e.url ?? ''}`,
      });
      if (e.event === 'complained') complaints.set(email.customer_id, email.id);
    }
    const { recorded } = await recordEmailEvents(trx, deps.config, inputs);
    for (const [customerId, emailId] of complaints) {
      await changePreferences(trx, {
        customerId,
        patch: { email: { marketing: false } },
        source: 'complaint',
        changedBy: null,
        emailId,
      });
    }
    return { recorded, duplicates: inputs.length - recorded, unknown };
  });
}
