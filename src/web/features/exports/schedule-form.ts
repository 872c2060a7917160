import { defaultExportFields } from '../../../shared/export-fields.js';
import {
  type ExportFormat,
  type ExportPurpose,
  type ExportSchedule,
  type ExportScheduleCreate,
  exportScheduleCreateSchema,
} from '../../../shared/exports.js';
import { zodErrors } from '../../lib/zod-form.js';
import { describeCron } from './cron-text.js';

/** all: every customer; segment: one segment's members; keep: a selection made through the API. */
export type ScheduleTarget = 'all' | 'segment' | 'keep';

export interface ScheduleFormValues {
  name: string;
  cron: string;
  timezone: string;
  format: ExportFormat;
  purpose: ExportPurpose;
  bom: boolean;
  fields: string[];
  target: ScheduleTarget;
  segment_id: string | null;
  recipient_ids: string[];
  enabled: boolean;
}

/** The browser's own time zone, the natural default for someone setting "07:00". */
export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function newScheduleValues(): ScheduleFormValues {
  return {
    name: '',
    cron: '0 7 * * 1',
    timezone: localTimeZone(),
    format: 'csv',
    purpose: 'internal',
    bom: false,
    fields: [...defaultExportFields],
    target: 'all',
    segment_id: null,
    recipient_ids: [],
    enabled: true,
  };
}

export function scheduleValues(schedule: ExportSchedule): ScheduleFormValues {
  const segmentId = typeof schedule.selection.segment_id === 'string' ? schedule.selection.segment_id : null;
  return {
    name: schedule.name,
    cron: schedule.cron,
    timezone: schedule.timezone,
    format: schedule.format,
    purpose: schedule.purpose,
    bom: schedule.bom,
    fields: [...schedule.fields],
    target: schedule.selection.all === true ? 'all' : segmentId ? 'segment' : 'keep',
    segment_id: segmentId,
    recipient_ids: schedule.recipients.map((r) => r.id),
    enabled: schedule.enabled,
  };
}

/** The request body; `selection` is left out when the schedule keeps the one it has. */
export function scheduleBody(values: ScheduleFormValues): Omit<ExportScheduleCreate, 'selection'> & {
  selection?: ExportScheduleCreate['selection'];
} {
  const selection =
    values.target === 'all'
      ? { all: true as const }
      : values.target === 'segment'
        ? { segment_id: values.segment_id ?? '' }
        : undefined;
  return {
    name: values.name.trim(),
    cron: values.cron.trim().split(/\s+/).join(' '),
    timezone: values.timezone,
    format: values.format,
    purpose: values.purpose,
    bom: values.format === 'csv' && values.bom,
    fields: values.fields,
    ...(selection ? { selection } : {}),
    recipient_ids: values.recipient_ids,
    enabled: values.enabled,
  };
}

export function validateSchedule(values: ScheduleFormValues): Record<string, string> {
  const body = scheduleBody(values);
  const errors = zodErrors(exportScheduleCreateSchema, {
    ...body,
    selection: body.selection ?? { all: true },
  });
  for (const key of Object.keys(errors)) if (key.startsWith('selection')) delete errors[key];
  if (values.target === 'segment' && !values.segment_id) errors.segment_id = 'Choose a segment';
  const cron = describeCron(values.cron);
  if (!cron.ok) errors.cron = cron.error;
  else delete errors.cron;
  return errors;
}
