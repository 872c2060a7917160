import dayjs from 'dayjs';
import { type AuditAction, auditActions } from '../../../shared/audit.js';
import { humanize } from '../../lib/format.js';

/** The audit log's filters as the URL and the API name them (`from`/`to`: ISO date-times). */
export interface AuditFilters {
  action?: AuditAction[];
  actor_id?: string;
  subject_type?: string;
  subject_id?: string;
  from?: string;
  to?: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function text(raw: string | null, max: number): string | undefined {
  const value = raw?.trim();
  return value ? value.slice(0, max) : undefined;
}

function dateTime(raw: string | null): string | undefined {
  return raw && dayjs(raw).isValid() && /^\d{4}-\d{2}-\d{2}T/.test(raw) ? raw : undefined;
}

export function parseAuditParams(params: URLSearchParams): AuditFilters {
  const actions = (params.get('action') ?? '')
    .split(',')
    .filter((a): a is AuditAction => (auditActions as readonly string[]).includes(a));
  const actor = params.get('actor_id');
  return {
    action: actions.length > 0 ? actions : undefined,
    actor_id: actor && uuid.test(actor) ? actor : undefined,
    subject_type: text(params.get('subject_type'), 50),
    subject_id: text(params.get('subject_id'), 100),
    from: dateTime(params.get('from')),
    to: dateTime(params.get('to')),
  };
}

export function toAuditParams(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (Array.isArray(value) ? value.length > 0 : value) {
      params.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
  }
  return params;
}

export function hasAuditFilters(filters: AuditFilters): boolean {
  return Object.values(filters).some((v) => v !== undefined);
}

const actionWords: Partial<Record<AuditAction, string>> = {
  'auth.sign_in': 'Signed in',
  'auth.sign_in_failed': 'Sign-in failed',
  'privacy.data_export': 'Personal data exported',
  'privacy.erasure': 'Personal data erased',
  'export.requested': 'Export requested',
  'export_schedule.created': 'Export schedule created',
  'export_schedule.updated': 'Export schedule updated',
  'export_schedule.deleted': 'Export schedule deleted',
};

/** "export.downloaded" → "Export downloaded". */
export function actionLabel(action: string): string {
  const known = actionWords[action as AuditAction];
  if (known) return known;
  const [subject = '', verb = ''] = action.split('.');
  return humanize(`${subject}_${verb}`);
}

const groupNames: Record<string, string> = {
  auth: 'Sign-in',
  staff: 'Staff',
  export: 'Exports',
  export_schedule: 'Export schedules',
  privacy: 'Privacy',
};

/** The actions grouped for the multi-select. */
export const actionOptions = [...new Set(auditActions.map((a) => a.split('.')[0] ?? a))].map((group) => ({
  group: groupNames[group] ?? humanize(group),
  items: auditActions
    .filter((a) => a.startsWith(`${group}.`))
    .map((a) => ({ value: a, label: actionLabel(a) })),
}));

export const subjectTypes = [
  { value: 'customer', label: 'Customer' },
  { value: 'export', label: 'Export' },
  { value: 'export_schedule', label: 'Export schedule' },
  { value: 'staff_user', label: 'Staff user' },
];
