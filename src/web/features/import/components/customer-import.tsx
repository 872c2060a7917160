import { Alert, Button, Card, Group, Radio, Select, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconFileSpreadsheet } from '@tabler/icons-react';
import { useState } from 'react';
import { type ImportField, type ImportReport, importFields } from '../../../../shared/customers.js';
import { errorMessage } from '../../../lib/api-client.js';
import { formatCount, humanize } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { type ImportPreview, usePreviewImport } from '../api/preview-import.js';
import { type ImportMode, useRunImport } from '../api/run-import.js';
import { ImportDropzone } from './import-dropzone.js';
import { ImportReportView } from './import-report-view.js';

type Mapping = Record<string, ImportField | ''>;

const fieldOptions = [
  { value: '', label: 'Do not import' },
  ...importFields.map((f) => ({ value: f, label: humanize(f) })),
];

function initialMapping(preview: ImportPreview): Mapping {
  return Object.fromEntries(preview.headers.map((h) => [h, preview.suggested_mapping[h] ?? '']));
}

/** Fields mapped from more than one column: the import would be ambiguous. */
function duplicateTargets(mapping: Mapping): string[] {
  const seen = new Map<string, number>();
  for (const field of Object.values(mapping)) if (field) seen.set(field, (seen.get(field) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([f]) => f);
}

/** CSV import: choose a file, check the column mapping, run, read the report. */
export function CustomerImport() {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [mode, setMode] = useState<ImportMode>('update');
  const [report, setReport] = useState<ImportReport | null>(null);
  const previewMutation = usePreviewImport();
  const runMutation = useRunImport();

  const restart = () => {
    setFile(null);
    setPreview(null);
    setMapping({});
    setReport(null);
    previewMutation.reset();
    runMutation.reset();
  };

  const onFile = (chosen: File) => {
    setFile(chosen);
    previewMutation.mutate(chosen, {
      onSuccess: (result) => {
        setPreview(result);
        setMapping(initialMapping(result));
      },
    });
  };

  const run = () => {
    if (!file) return;
    runMutation.mutate(
      { file, mapping, mode },
      {
        onSuccess: (result) => {
          setReport(result);
          notifySuccess(
            `${formatCount(result.created)} created, ${formatCount(result.updated)} updated, ${formatCount(result.skipped)} skipped`,
            'Import finished',
          );
        },
        onError: (error) => notifyError(error, 'Import failed'),
      },
    );
  };

  if (report) return <ImportReportView report={report} onRestart={restart} />;

  const duplicates = duplicateTargets(mapping);
  const mappedCount = Object.values(mapping).filter(Boolean).length;
  const hasEmail = Object.values(mapping).includes('email');

  return (
    <Stack gap="md">
      {!preview ? (
        <Card withBorder padding="lg">
          <ImportDropzone
            loading={previewMutation.isPending}
            onFile={onFile}
            onReject={(message) => notifyError(new Error(message), 'File not accepted')}
          />
          {previewMutation.isError ? (
            <Alert
              color="red"
              mt="md"
              icon={<IconAlertTriangle size={18} />}
              title="Could not read the file"
              role="alert"
            >
              {errorMessage(previewMutation.error)}
            </Alert>
          ) : null}
        </Card>
      ) : (
        <>
          <Card withBorder padding="lg">
            <Group justify="space-between" wrap="wrap">
              <Group gap="sm">
                <IconFileSpreadsheet size={28} stroke={1.5} aria-hidden />
                <div>
                  <Text fw={600}>{file?.name}</Text>
                  <Text size="sm" c="dimmed">
                    {formatCount(preview.total_rows)} rows · {preview.headers.length} columns
                  </Text>
                </div>
              </Group>
              <Button variant="subtle" onClick={restart}>
                Choose another file
              </Button>
            </Group>
          </Card>

          <Card withBorder padding="lg" component="section" aria-labelledby="mapping-title">
            <Title order={2} size="h4" id="mapping-title">
              Map columns
            </Title>
            <Text size="sm" c="dimmed" mb="md">
              Match each CSV column to a customer field. Customers are matched by email.
            </Text>
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="xs" aria-label="Column mapping">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>CSV column</Table.Th>
                    <Table.Th>Sample values</Table.Th>
                    <Table.Th w={260}>Import as</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.headers.map((header, column) => (
                    <Table.Tr key={header}>
                      <Table.Td fw={600}>{header}</Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed" lineClamp={1} maw={360}>
                          {preview.sample
                            .map((row) => row[column] ?? '')
                            .filter(Boolean)
                            .slice(0, 3)
                            .join(' · ') || '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Select
                          aria-label={`Import column ${header} as`}
                          data={fieldOptions}
                          value={mapping[header] ?? ''}
                          onChange={(value) =>
                            setMapping((m) => ({ ...m, [header]: (value ?? '') as ImportField | '' }))
                          }
                          allowDeselect={false}
                          error={
                            mapping[header] && duplicates.includes(mapping[header] ?? '')
                              ? 'Mapped twice'
                              : undefined
                          }
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>

          <Card withBorder padding="lg">
            <Radio.Group
              label="When a customer with the same email exists"
              value={mode}
              onChange={(value) => setMode(value === 'skip' ? 'skip' : 'update')}
            >
              <Stack gap="xs" mt="xs">
                <Radio value="update" label="Update the existing customer with the file's values" />
                <Radio value="skip" label="Skip the row and keep the existing customer" />
              </Stack>
            </Radio.Group>
            {!hasEmail ? (
              <Alert color="yellow" mt="md" icon={<IconAlertTriangle size={18} />}>
                No column is mapped to Email: duplicates cannot be detected.
              </Alert>
            ) : null}
            {runMutation.isError ? (
              <Alert
                color="red"
                mt="md"
                icon={<IconAlertTriangle size={18} />}
                title="Import failed"
                role="alert"
              >
                {errorMessage(runMutation.error)}
              </Alert>
            ) : null}
            <Group justify="flex-end" mt="md">
              <Button
                onClick={run}
                loading={runMutation.isPending}
                disabled={mappedCount === 0 || duplicates.length > 0}
              >
                Import {formatCount(preview.total_rows)} rows
              </Button>
            </Group>
          </Card>
        </>
      )}
    </Stack>
  );
}
