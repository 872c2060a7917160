import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Skeleton,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { EmailTemplateVersion } from '../../../../shared/communications.js';
import { QueryError } from '../../../components/query-error.js';
import { formatDateTime } from '../../../lib/format.js';
import { useStaffDirectory } from '../../staff/api/get-staff-directory.js';
import { useTemplateVersions } from '../api/get-template-versions.js';

const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } };

function VersionModal({
  version,
  current,
  canRestore,
  onRestore,
  onClose,
}: {
  version: EmailTemplateVersion | null;
  current: number;
  canRestore: boolean;
  onRestore: (version: EmailTemplateVersion) => void;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={version !== null}
      onClose={onClose}
      title={version ? `Version ${version.version}${version.version === current ? ' (current)' : ''}` : ''}
      size="xl"
    >
      {version ? (
        <Stack gap="sm">
          <TextInput label="Subject" value={version.subject} readOnly />
          <Textarea label="HTML body" value={version.body_html} readOnly rows={10} styles={mono} />
          <Textarea label="Text body" value={version.body_text} readOnly rows={6} styles={mono} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
            {canRestore && version.version !== current ? (
              <Button onClick={() => onRestore(version)}>Restore into editor</Button>
            ) : null}
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}

/** Every version of the template's content; one opens read-only and can be restored into the editor. */
export function TemplateVersions({
  templateId,
  current,
  canRestore,
  onRestore,
}: {
  templateId: string;
  current: number;
  canRestore: boolean;
  onRestore: (version: EmailTemplateVersion) => void;
}) {
  const versions = useTemplateVersions(templateId);
  const staff = useStaffDirectory();
  const [open, setOpen] = useState<EmailTemplateVersion | null>(null);
  const who = (id: string | null) => {
    if (!id) return '—';
    const person = staff.data?.find((s) => s.id === id);
    return person ? (person.name ?? person.email) : 'Former staff';
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="template-versions-title">
      <Title order={2} size="h4" mb="sm" id="template-versions-title">
        Versions
      </Title>
      {versions.isPending ? (
        <Skeleton height={80} />
      ) : versions.isError ? (
        <QueryError
          error={versions.error}
          title="Could not load the versions"
          onRetry={() => void versions.refetch()}
        />
      ) : (
        <Table aria-label="Template versions" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Version</Table.Th>
              <Table.Th scope="col">Created</Table.Th>
              <Table.Th scope="col">By</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versions.data.map((v) => (
              <Table.Tr key={v.version}>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Anchor
                      component="button"
                      type="button"
                      size="sm"
                      onClick={() => setOpen(v)}
                      style={{ whiteSpace: 'nowrap' }}
                    >
                      Version {v.version}
                    </Anchor>
                    {v.version === current ? (
                      <Badge size="sm" variant="light" style={{ flexShrink: 0 }}>
                        Current
                      </Badge>
                    ) : null}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatDateTime(v.created_at)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{who(v.created_by)}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <VersionModal
        version={open}
        current={current}
        canRestore={canRestore}
        onClose={() => setOpen(null)}
        onRestore={(v) => {
          setOpen(null);
          onRestore(v);
        }}
      />
    </Card>
  );
}
