import type { ExportFieldGroup } from '../../../shared/export-fields.js';
import type { ExportFormat, ExportPurpose, ExportState } from '../../../shared/exports.js';

export const formatLabels: Record<ExportFormat, string> = { csv: 'CSV', xlsx: 'Excel', pdf: 'PDF' };

export const formatOptions = (Object.keys(formatLabels) as ExportFormat[]).map((value) => ({
  value,
  label: formatLabels[value],
}));

export const purposeLabels: Record<ExportPurpose, string> = { internal: 'Internal', marketing: 'Marketing' };

export const purposeHints: Record<ExportPurpose, string> = {
  internal: 'Operations and reporting: every selected customer.',
  marketing: 'Leaves out customers who refused data sharing.',
};

export const groupLabels: Record<ExportFieldGroup, string> = {
  profile: 'Profile',
  contact: 'Contact',
  metrics: 'Order metrics',
  lifecycle: 'Lifecycle and RFM',
  tags_segments: 'Tags and segments',
};

export const stateLabels: Record<ExportState, string> = {
  pending_approval: 'Awaiting approval',
  queued: 'Queued',
  running: 'Running',
  completed: 'Ready',
  failed: 'Failed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

export const stateColors: Record<ExportState, string> = {
  pending_approval: 'yellow',
  queued: 'gray',
  running: 'blue',
  completed: 'green',
  failed: 'red',
  rejected: 'red',
  cancelled: 'gray',
  expired: 'gray',
};

const units = ['B', 'KB', 'MB', 'GB'];

/** 1536 → "1.5 KB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
