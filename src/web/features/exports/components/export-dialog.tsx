import { Alert, Anchor, Box, Button, Group, Loader, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconLock, IconShieldCheck } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { defaultExportFields, exportFields } from '../../../../shared/export-fields.js';
import type {
  Export,
  ExportPreview,
  ExportPreviewRequest,
  ExportSelection,
} from '../../../../shared/exports.js';
import { errorMessage, isApiError } from '../../../lib/api-client.js';
import { formatCount } from '../../../lib/format.js';
import { notifyError } from '../../../lib/notify.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useExportPreview } from '../api/preview-export.js';
import { useStartExport } from '../api/start-export.js';
import { formatLabels } from '../export-labels.js';
import { ExportFieldPicker, orderedFields } from './export-field-picker.js';
import { type ExportOptions, ExportOptionsFields } from './export-options-fields.js';

export interface ExportDialogProps {
  opened: boolean;
  onClose: () => void;
  /** Which customers: the list's filters, its selected rows, a segment, or everyone. */
  selection: ExportSelection;
  /** The selection in words until the server describes it ("3 selected customers"). */
  scope: string;
  /** Suggested title (names the file and heads a PDF), e.g. the segment's name. */
  defaultTitle?: string;
}

const customers = (n: number) => `${formatCount(n)} ${n === 1 ? 'customer' : 'customers'}`;

/** Personal fields the requester cannot export in full: the server's word, or the catalogue's. */
function maskedFields(preview: ExportPreview | undefined, canExportPii: boolean): Set<string> {
  const masked = new Set(preview?.masked_fields ?? []);
  if (!canExportPii) for (const f of exportFields) if (f.pii) masked.add(f.name);
  return masked;
}

function labelsOf(names: Iterable<string>): string {
  const set = new Set(names);
  return exportFields
    .filter((f) => set.has(f.name))
    .map((f) => f.label)
    .join(', ');
}

/** Row count, masking, the PDF limit and approval: what starting this export would do. */
function PreviewSummary({
  preview,
  loading,
  error,
  chosenMasked,
}: {
  preview: ExportPreview | undefined;
  loading: boolean;
  error: unknown;
  chosenMasked: string[];
}) {
  return (
    <Stack gap="xs">
      {chosenMasked.length > 0 ? (
        <Alert
          color="orange"
          variant="light"
          icon={<IconLock size={18} />}
          title="Personal data will be masked"
        >
          {labelsOf(chosenMasked)} will be exported as asterisks. Exporting personal data in full needs the{' '}
          <Text span ff="monospace" size="sm">
            export:pii
          </Text>{' '}
          permission; ask an administrator.
        </Alert>
      ) : null}
      {preview?.refusal ? (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title="Cannot export this" role="alert">
          {preview.refusal}
        </Alert>
      ) : null}
      {preview?.approval_required && !preview.refusal ? (
        <Alert color="yellow" icon={<IconShieldCheck size={18} />} title="Needs a second admin’s approval">
          Large exports of personal data wait until another administrator approves them on the Exports page;
          you are notified when it runs.
        </Alert>
      ) : null}
      {error && !preview ? (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title="Could not count the customers">
          {errorMessage(error)}
        </Alert>
      ) : null}
      <Group gap="xs" aria-live="polite" mih={24}>
        {preview ? (
          <Text size="sm" fw={600} data-testid="export-row-count">
            {customers(preview.row_count)} {preview.refusal ? 'selected' : 'will be exported'}
          </Text>
        ) : !error ? (
          <Text size="sm" c="dimmed">
            Counting customers…
          </Text>
        ) : null}
        {loading ? <Loader size="xs" aria-label="Counting customers" /> : null}
      </Group>
    </Stack>
  );
}

/** The success notification, with a way to the exports page (notifications sit outside the router). */
function notifyStarted(exp: Export, openExports: () => void) {
  const id = `export-${exp.id}`;
  notifications.show({
    id,
    color: exp.state === 'pending_approval' ? 'yellow' : 'green',
    title: exp.state === 'pending_approval' ? 'Export waiting for approval' : 'Export started',
    message: (
      <>
        {exp.state === 'pending_approval'
          ? `“${exp.title}” runs once another administrator approves it. `
          : `“${exp.title}” is being prepared. `}
        <Anchor
          href="/exports"
          size="sm"
          onClick={(event) => {
            event.preventDefault();
            notifications.hide(id);
            openExports();
          }}
        >
          Open exports
        </Anchor>
      </>
    ),
  });
}

function ExportForm({ selection, scope, defaultTitle, onClose }: Omit<ExportDialogProps, 'opened'>) {
  const navigate = useNavigate();
  const canExportPii = usePermission('export:pii');
  const start = useStartExport();
  const [options, setOptions] = useState<ExportOptions>({ format: 'csv', purpose: 'internal', bom: false });
  const [fields, setFields] = useState<string[]>(() => orderedFields(defaultExportFields));
  const [title, setTitle] = useState(defaultTitle ?? '');
  const [fieldError, setFieldError] = useState<string | null>(null);

  const body = useMemo<ExportPreviewRequest | null>(
    () =>
      fields.length === 0
        ? null
        : {
            format: options.format,
            fields,
            selection,
            purpose: options.purpose,
            bom: options.format === 'csv' && options.bom,
          },
    [options, fields, selection],
  );
  const [debounced] = useDebouncedValue(body, 300);
  const preview = useExportPreview(debounced);
  const current = preview.data;
  const masked = maskedFields(current, canExportPii);
  const chosenMasked = fields.filter((f) => masked.has(f));
  // Start waits for the preview of the request as it stands (the PDF limit, the approval notice)
  const settled = body === debounced && !preview.isPlaceholderData;
  const blocked = !body || !current || !settled || !!current.refusal || current.row_count === 0;

  const submit = () => {
    if (!body) {
      setFieldError('Choose at least one field');
      return;
    }
    start.mutate(
      { ...body, format: options.format, fields, ...(title.trim() ? { title: title.trim() } : {}) },
      {
        onSuccess: (exp) => {
          notifyStarted(exp, () => void navigate('/exports'));
          onClose();
        },
        onError: (error) => {
          if (isApiError(error) && error.fieldErrors.fields) setFieldError(error.fieldErrors.fields);
          notifyError(error, 'Could not start the export');
        },
      },
    );
  };

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Stack gap="md">
        <Text size="sm">
          <Text span c="dimmed" size="sm">
            Customers:{' '}
          </Text>
          {current?.selection_description ?? scope}
        </Text>
        <ExportOptionsFields value={options} onChange={(patch) => setOptions((o) => ({ ...o, ...patch }))} />
        <TextInput
          label="Title"
          description="Names the file and heads the PDF report"
          placeholder="Customers"
          maxLength={120}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        <ExportFieldPicker
          value={fields}
          onChange={(next) => {
            setFields(next);
            if (next.length > 0) setFieldError(null);
          }}
          masked={masked}
          error={fieldError ?? (fields.length === 0 ? 'Choose at least one field' : null)}
        />
        {/* the outcome and the buttons stay in view while the fields scroll */}
        <Box
          pos="sticky"
          bottom={0}
          pt="sm"
          pb="xs"
          bg="var(--mantine-color-body)"
          style={{ borderTop: '1px solid var(--mantine-color-default-border)', zIndex: 1 }}
        >
          <Stack gap="sm">
            <PreviewSummary
              preview={body ? current : undefined}
              loading={preview.isFetching || body !== debounced}
              error={preview.error}
              chosenMasked={chosenMasked}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={start.isPending} disabled={blocked}>
                {current?.approval_required
                  ? 'Request export'
                  : `Start ${formatLabels[options.format]} export`}
              </Button>
            </Group>
          </Stack>
        </Box>
      </Stack>
    </form>
  );
}

/**
 * Export customers: format, purpose, fields (personal ones marked when they will be masked), the
 * row count before starting, PDF's row limit, and whether a second admin must approve.
 */
export function ExportDialog({ opened, onClose, ...props }: ExportDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Export customers" size="xl" centered>
      {opened ? <ExportForm {...props} onClose={onClose} /> : null}
    </Modal>
  );
}
