import type {
  Channel,
  CommunicationPreferencesView,
  EmailCategory,
  SkipReason,
} from '../../../shared/communications.js';

const consent = (raw: unknown) => {
  const c = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  // unset means allowed: a customer is mailable until they say otherwise
  return { marketing: c.marketing !== false, transactional: c.transactional !== false };
};

/**
 * The stored preferences (partial jsonb on customers.communication_preferences) with every
 * channel spelled out; what is not stored is allowed, tracking is on by default.
 */
export function effectivePreferences(
  raw: Record<string, unknown> | null | undefined,
): CommunicationPreferencesView {
  const p = raw ?? {};
  return {
    email: consent(p.email),
    sms: consent(p.sms),
    phone: consent(p.phone),
    do_not_contact: p.do_not_contact === true,
    tracking: p.tracking !== false,
    data_sharing: p.data_sharing !== false,
  };
}

/** Why mail of this category may not go to this customer on this channel, or null when it may. */
export function skipReasonFor(
  prefs: CommunicationPreferencesView,
  category: EmailCategory,
  channel: Channel = 'email',
): SkipReason | null {
  if (prefs.do_not_contact) return 'do_not_contact';
  if (!prefs[channel][category]) return 'unsubscribed';
  return null;
}
