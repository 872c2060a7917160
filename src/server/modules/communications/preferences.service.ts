import type { Kysely } from 'kysely';
import type { z } from 'zod';
import {
  type CommunicationPreferencesResponse,
  channels,
  type communicationPreferencesUpdateSchema,
  emailCategories,
} from '../../../shared/communications.js';
import type { DB } from '../../db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { insertEvent } from '../customers/customers.queries.js';
import {
  findCustomerPreferences,
  findPreferenceHistory,
  insertPreferenceChange,
  lockCustomerPreferences,
  type PreferenceChanges,
  type PreferenceSource,
  storeCustomerPreferences,
} from './preferences.queries.js';
import { effectivePreferences } from './preferences.rules.js';

export type { PreferenceChanges, PreferenceSource } from './preferences.queries.js';

type UpdateInput = z.output<typeof communicationPreferencesUpdateSchema>;
/** What to change: any channel consent, do-not-contact, tracking. */
export type PreferencePatch = Omit<UpdateInput, 'version'>;
type Stored = Record<string, unknown>;

const HISTORY_LIMIT = 50;

const asObject = (v: unknown): Stored =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Stored) : {};

/**
 * What differs between two stored (partial) preference objects, compared as effective
 * preferences: path (`email.marketing`, `do_not_contact`, `tracking`) → [before, after].
 */
export function diffPreferences(before: Stored | null, after: Stored | null): PreferenceChanges {
  const a = effectivePreferences(before);
  const b = effectivePreferences(after);
  const changes: PreferenceChanges = {};
  for (const channel of channels) {
    for (const category of emailCategories) {
      if (a[channel][category] !== b[channel][category]) {
        changes[`${channel}.${category}`] = [a[channel][category], b[channel][category]];
      }
    }
  }
  if (a.do_not_contact !== b.do_not_contact) changes.do_not_contact = [a.do_not_contact, b.do_not_contact];
  if (a.tracking !== b.tracking) changes.tracking = [a.tracking, b.tracking];
  if (a.data_sharing !== b.data_sharing) changes.data_sharing = [a.data_sharing, b.data_sharing];
  return changes;
}

/** The stored preferences with the patch laid over them; what the patch leaves out stays. */
export function mergePreferences(stored: Stored | null, patch: PreferencePatch): Stored {
  const next: Stored = { ...asObject(stored) };
  for (const channel of channels) {
    const given = patch[channel];
    if (!given) continue;
    const consent = { ...asObject(next[channel]) };
    for (const category of emailCategories) {
      if (given[category] !== undefined) consent[category] = given[category];
    }
    next[channel] = consent;
  }
  if (patch.do_not_contact !== undefined) next.do_not_contact = patch.do_not_contact;
  if (patch.tracking !== undefined) next.tracking = patch.tracking;
  if (patch.data_sharing !== undefined) next.data_sharing = patch.data_sharing;
  return next;
}

const channelNames: Record<string, string> = { email: 'Email', sms: 'SMS', phone: 'Phone' };
const sourceNotes: Record<PreferenceSource, string> = {
  staff: '',
  unsubscribe_link: ' (unsubscribe link)',
  one_click: ' (one-click unsubscribe)',
  complaint: ' (spam complaint)',
  bounce: ' (bounce)',
};

/** "Email marketing turned off, Do not contact turned on (unsubscribe link)". */
export function describePreferenceChanges(changes: PreferenceChanges, source: PreferenceSource): string {
  const parts = Object.entries(changes).map(([path, [, after]]) => {
    const [channel, category] = path.split('.');
    const what =
      category !== undefined
        ? `${channelNames[channel ?? ''] ?? channel} ${category}`
        : path === 'do_not_contact'
          ? 'Do not contact'
          : 'Tracking';
    return `${what} turned ${after ? 'on' : 'off'}`;
  });
  return `${parts.join(', ')}${sourceNotes[source]}`;
}

/**
 * Records a preference change made elsewhere (PUT /customers replaces the stored preferences):
 * one history row with only what changed, none when nothing did.
 */
export async function recordPreferenceHistory(
  trx: Kysely<DB>,
  opts: {
    customerId: string;
    before: Stored | null;
    after: Stored | null;
    source: PreferenceSource;
    changedBy: string | null;
    emailId?: string | null;
  },
): Promise<PreferenceChanges> {
  const changes = diffPreferences(opts.before, opts.after);
  if (Object.keys(changes).length === 0) return changes;
  await insertPreferenceChange(trx, {
    customer_id: opts.customerId,
    source: opts.source,
    changed_by: opts.changedBy,
    email_id: opts.emailId ?? null,
    changes,
  });
  return changes;
}

/**
 * Changes a customer's preferences inside the caller's transaction: the customer row is locked
 * (and version-checked when `version` is given), the patch merged, and when anything changed
 * the customer's version bumped, a history row and a timeline event written. Returns what
 * changed (empty: nothing was written).
 */
export async function changePreferences(
  trx: Kysely<DB>,
  opts: {
    customerId: string;
    patch: PreferencePatch;
    source: PreferenceSource;
    changedBy: string | null;
    emailId?: string | null;
    version?: number;
  },
): Promise<PreferenceChanges> {
  const row = await lockCustomerPreferences(trx, opts.customerId);
  if (!row) throw notFound('Customer');
  if (opts.version !== undefined && row.version !== opts.version) {
    throw new AppError(
      'version_conflict',
      `This customer was changed by someone else (now version ${row.version})`,
      {
        current: await preferencesOf(trx, opts.customerId),
        errors: [{ field: 'version', message: `Expected ${row.version}` }],
      },
    );
  }
  const after = mergePreferences(row.communication_preferences, opts.patch);
  const changes = await recordPreferenceHistory(trx, {
    customerId: opts.customerId,
    before: row.communication_preferences,
    after,
    source: opts.source,
    changedBy: opts.changedBy,
    emailId: opts.emailId ?? null,
  });
  if (Object.keys(changes).length === 0) return changes;
  await storeCustomerPreferences(trx, opts.customerId, after);
  await insertEvent(trx, {
    customer_id: opts.customerId,
    kind: 'preferences_changed',
    actor_id: opts.changedBy,
    summary: describePreferenceChanges(changes, opts.source),
    data: { changes, source: opts.source, email_id: opts.emailId ?? null },
  });
  return changes;
}

/** Effective preferences, the customer's version and the newest history. */
async function preferencesOf(db: Kysely<DB>, customerId: string): Promise<CommunicationPreferencesResponse> {
  const [row, history] = await Promise.all([
    findCustomerPreferences(db, customerId),
    findPreferenceHistory(db, customerId, HISTORY_LIMIT),
  ]);
  if (!row) throw notFound('Customer');
  return {
    preferences: effectivePreferences(row.communication_preferences),
    version: row.version,
    history: history.map((h) => ({
      id: h.id,
      changed_at: h.changed_at.toISOString(),
      source: h.source,
      changed_by: h.changed_by ? { id: h.changed_by, name: h.changed_by_name } : null,
      email_id: h.email_id,
      changes: h.changes,
    })),
  };
}

export function getPreferences(deps: AppDeps, customerId: string): Promise<CommunicationPreferencesResponse> {
  return preferencesOf(deps.db, customerId);
}

/** PUT: version-checked, one transaction; no change answers the current state and writes nothing. */
export async function updatePreferences(
  deps: AppDeps,
  principal: Principal,
  customerId: string,
  input: UpdateInput,
): Promise<CommunicationPreferencesResponse> {
  const { version, ...patch } = input;
  return deps.db.transaction().execute(async (trx) => {
    await changePreferences(trx, {
      customerId,
      patch,
      source: 'staff',
      changedBy: principal.staffId,
      version,
    });
    return preferencesOf(trx, customerId);
  });
}
