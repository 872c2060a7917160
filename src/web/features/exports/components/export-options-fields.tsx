import { Checkbox, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import {
  type ExportFormat,
  type ExportPurpose,
  exportPurposes,
  PDF_MAX_ROWS,
} from '../../../../shared/exports.js';
import { formatCount } from '../../../lib/format.js';
import { formatOptions, purposeHints, purposeLabels } from '../export-labels.js';

export interface ExportOptions {
  format: ExportFormat;
  purpose: ExportPurpose;
  bom: boolean;
}

const formatHints: Record<ExportFormat, string> = {
  csv: 'Comma-separated text, for any spreadsheet or tool.',
  xlsx: 'An Excel workbook with typed columns.',
  pdf: `A printable report, up to ${formatCount(PDF_MAX_ROWS)} customers.`,
};

/** A control under a visible heading with a hint below; the control names itself (aria-label). */
function Labelled({ label, hint, children }: { label: string; hint: string; children: ReactNode }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} aria-hidden>
        {label}
      </Text>
      {children}
      <Text size="xs" c="dimmed" maw={320}>
        {hint}
      </Text>
    </Stack>
  );
}

/** Format (with the CSV byte-order mark option) and purpose: shared by the export dialog and schedules. */
export function ExportOptionsFields({
  value,
  onChange,
}: {
  value: ExportOptions;
  onChange: (patch: Partial<ExportOptions>) => void;
}) {
  return (
    <Group align="flex-start" gap="xl" wrap="wrap">
      <Stack gap={6}>
        <Labelled label="Format" hint={formatHints[value.format]}>
          <SegmentedControl
            aria-label="Format"
            value={value.format}
            onChange={(format) => onChange({ format: format as ExportFormat })}
            data={formatOptions}
          />
        </Labelled>
        {value.format === 'csv' ? (
          <Checkbox
            size="sm"
            label="Excel-friendly (BOM)"
            description="Starts the file with a byte-order mark so Excel reads accents correctly"
            checked={value.bom}
            onChange={(e) => onChange({ bom: e.currentTarget.checked })}
          />
        ) : null}
      </Stack>
      <Labelled label="Purpose" hint={purposeHints[value.purpose]}>
        <SegmentedControl
          aria-label="Purpose"
          value={value.purpose}
          onChange={(purpose) => onChange({ purpose: purpose as ExportPurpose })}
          data={exportPurposes.map((p) => ({ value: p, label: purposeLabels[p] }))}
        />
      </Labelled>
    </Group>
  );
}
