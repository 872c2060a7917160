import {
  Anchor,
  Card,
  Collapse,
  Group,
  List,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import {
  type Channel,
  type CommunicationPreferencesResponse,
  type CommunicationPreferencesView,
  channels,
  type EmailCategory,
  emailCategories,
} from '../../../../shared/communications.js';
import { QueryError } from '../../../components/query-error.js';
import { VersionConflictModal } from '../../../components/version-conflict-modal.js';
import { isApiError } from '../../../lib/api-client.js';
import { formatDate, humanize } from '../../../lib/format.js';
import { notifyError } from '../../../lib/notify.js';
import { queryKeys } from '../../../lib/query-keys.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useCustomer } from '../../customers/api/get-customer.js';
import { preferencesQueryOptions, usePreferences } from '../api/get-preferences.js';
import { type PreferencesUpdate, useUpdatePreferences } from '../api/update-preferences.js';

type Change = Omit<PreferencesUpdate, 'version'>;
type HistoryEntry = CommunicationPreferencesResponse['history'][number];

const channelLabels: Record<Channel, string> = { email: 'Email', sms: 'SMS', phone: 'Phone' };

/** The preferences with a change still on its way applied, so a switch moves when clicked. */
function withChange(
  prefs: CommunicationPreferencesView,
  change: Change | undefined,
): CommunicationPreferencesView {
  if (!change) return prefs;
  return {
    email: { ...prefs.email, ...change.email },
    sms: { ...prefs.sms, ...change.sms },
    phone: { ...prefs.phone, ...change.phone },
    do_not_contact: change.do_not_contact ?? prefs.do_not_contact,
    tracking: change.tracking ?? prefs.tracking,
    data_sharing: change.data_sharing ?? prefs.data_sharing,
  };
}

/** `email.marketing` → "Email marketing". */
function settingLabel(path: string): string {
  if (path === 'do_not_contact') return 'Do not contact';
  if (path === 'tracking') return 'Tracking of opens and clicks';
  if (path === 'data_sharing') return 'Data sharing consent';
  const [channel, category] = path.split('.');
  const name = channelLabels[channel as Channel] ?? humanize(channel ?? path);
  return category ? `${name} ${category}` : name;
}

const sourceText: Record<HistoryEntry['source'], string> = {
  staff: 'by staff',
  unsubscribe_link: 'via unsubscribe link',
  one_click: 'via one-click unsubscribe',
  complaint: 'after a spam complaint',
  bounce: 'after a bounce',
};

function historyLines(entry: HistoryEntry): string[] {
  const how =
    entry.source === 'staff' && entry.changed_by
      ? `by ${entry.changed_by.name ?? 'a staff member'}`
      : sourceText[entry.source];
  return Object.entries(entry.changes).map(
    ([path, [, after]]) =>
      `${settingLabel(path)} turned ${after ? 'on' : 'off'} · ${how} · ${formatDate(entry.changed_at)}`,
  );
}

function History({ history }: { history: HistoryEntry[] }) {
  const [open, setOpen] = useState(false);
  if (history.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        No changes yet: everything is allowed until the customer or staff say otherwise.
      </Text>
    );
  }
  return (
    <Stack gap={4}>
      <Anchor
        component="button"
        type="button"
        size="sm"
        onClick={() => setOpen((v) => !v)}
        aria-expanded={open}
      >
        {open ? 'Hide history' : `History (${history.length})`}
      </Anchor>
      <Collapse expanded={open} keepMounted={false}>
        <List size="xs" spacing={4} aria-label="Preference history">
          {history.flatMap((entry) =>
            historyLines(entry).map((line) => <List.Item key={`${entry.id}-${line}`}>{line}</List.Item>),
          )}
        </List>
      </Collapse>
    </Stack>
  );
}

/**
 * Consent per channel and kind of message, do-not-contact and tracking. Each switch saves at once
 * with the customer's version; read-only without customers:write.
 */
export function CommunicationPreferencesCard({ customerId }: { customerId: string }) {
  const canEdit = usePermission('customers:write');
  const queryClient = useQueryClient();
  const query = usePreferences(customerId);
  const update = useUpdatePreferences(customerId);
  const [conflict, setConflict] = useState<{ change: Change; at: string } | null>(null);

  // the preferences carry the customer's version: when the profile is saved here (contact
  // details, say), look again, so the next switch does not meet a needless conflict
  const customerVersion = useCustomer(customerId).data?.version;
  const loadedVersion = query.data?.version;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new customer version should trigger this
  useEffect(() => {
    if (customerVersion !== undefined && loadedVersion !== undefined && customerVersion > loadedVersion) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.communications.preferences(customerId) });
    }
  }, [customerVersion]);

  const save = (change: Change, version: number) =>
    update.mutate(
      { ...change, version },
      {
        onSuccess: () => setConflict(null),
        onError: (error) => {
          if (isApiError(error, 409)) {
            // `current` is the preferences as stored: their newest change says when
            const current = error.current as Partial<CommunicationPreferencesResponse> | undefined;
            setConflict({ change, at: current?.history?.[0]?.changed_at ?? new Date().toISOString() });
          } else {
            notifyError(error, 'Could not save the preferences');
          }
        },
      },
    );

  const reload = () => {
    setConflict(null);
    void queryClient.invalidateQueries({ queryKey: queryKeys.communications.preferences(customerId) });
  };
  const overwrite = async () => {
    if (!conflict) return;
    // the version as stored now: the same change, made on top of theirs
    const fresh = await queryClient.fetchQuery({ ...preferencesQueryOptions(customerId), staleTime: 0 });
    save(conflict.change, fresh.version);
  };

  let content: ReactNode;
  if (query.isPending) content = <Skeleton height={160} />;
  else if (query.isError) {
    content = (
      <QueryError
        error={query.error}
        title="Could not load the preferences"
        onRetry={() => void query.refetch()}
      />
    );
  } else {
    const prefs = withChange(query.data.preferences, update.isPending ? update.variables : undefined);
    const { version } = query.data;
    // until the refetch above has the customer's new version, a switch would only meet a conflict
    const behind = customerVersion !== undefined && customerVersion > version;
    const disabled = !canEdit || update.isPending || behind;
    content = (
      <Stack gap="sm">
        <Table
          withRowBorders={false}
          verticalSpacing={4}
          horizontalSpacing="xs"
          aria-label="Consent by channel"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>
                <Text span size="xs" c="dimmed">
                  Channel
                </Text>
              </Table.Th>
              {emailCategories.map((category) => (
                <Table.Th key={category}>
                  <Text span size="xs" c="dimmed">
                    {humanize(category)}
                  </Text>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {channels.map((channel) => (
              <Table.Tr key={channel}>
                <Table.Th scope="row">
                  <Text span size="sm" fw={500}>
                    {channelLabels[channel]}
                  </Text>
                </Table.Th>
                {emailCategories.map((category: EmailCategory) => (
                  <Table.Td key={category}>
                    <Switch
                      aria-label={`${channelLabels[channel]} ${category}`}
                      checked={prefs[channel][category]}
                      disabled={disabled}
                      onChange={(e) => save({ [channel]: { [category]: e.currentTarget.checked } }, version)}
                    />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Switch
          label="Do not contact"
          // the name without the description, which Mantine puts inside the label
          aria-label="Do not contact"
          description="No email, SMS or calls of any kind, whatever is allowed above."
          color="red"
          checked={prefs.do_not_contact}
          disabled={disabled}
          onChange={(e) => save({ do_not_contact: e.currentTarget.checked }, version)}
        />
        <Switch
          label="Track opens and clicks"
          aria-label="Track opens and clicks"
          description="Off: mail to this customer has no open pixel and no tracked links."
          checked={prefs.tracking}
          disabled={disabled}
          onChange={(e) => save({ tracking: e.currentTarget.checked }, version)}
        />
        <Switch
          label="Data sharing consent"
          aria-label="Data sharing consent"
          description="Off: the customer refused data sharing, and marketing exports leave them out."
          checked={prefs.data_sharing}
          disabled={disabled}
          onChange={(e) => save({ data_sharing: e.currentTarget.checked }, version)}
        />
        {canEdit ? null : (
          <Text size="xs" c="dimmed">
            You can see these settings but not change them.
          </Text>
        )}
        <History history={query.data.history} />
      </Stack>
    );
  }

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="communication-preferences-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="communication-preferences-title">
          Communication preferences
        </Title>
      </Group>
      {content}
      <VersionConflictModal
        what="customer"
        updatedAt={conflict?.at ?? null}
        saving={update.isPending}
        onClose={() => setConflict(null)}
        onReload={reload}
        onOverwrite={() => void overwrite()}
      />
    </Card>
  );
}
