import { Alert, Anchor, Box, Button, Group, List, Paper, Spoiler, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconArrowBackUp, IconInbox, IconMailOff, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import type { Thread } from '../../../../shared/communications.js';
import { formatDateTime, humanize } from '../../../lib/format.js';
import { EmailHtmlFrame } from './email-html-frame.js';
import { EmailStatusBadge } from './email-status-badge.js';

export type ThreadMessageData = Thread['messages'][number];

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "2 opens, 1 click" by people, and "+3 by machines" (proxies and scanners) apart. */
function Engagement({ message }: { message: ThreadMessageData }) {
  if (message.direction === 'inbound') return null;
  if (!message.tracking) {
    return (
      <Text size="xs" c="dimmed">
        Opens and clicks not tracked for this customer
      </Text>
    );
  }
  const machines = message.machine_open_count + message.machine_click_count;
  const human = message.open_count + message.click_count;
  if (human === 0 && machines === 0) return null;
  return (
    <Group gap="xs" wrap="wrap">
      <Text size="xs">
        {plural(message.open_count, 'open', 'opens')}, {plural(message.click_count, 'click', 'clicks')}
      </Text>
      {message.opened_at ? (
        <Text size="xs" c="dimmed">
          first opened {formatDateTime(message.opened_at)}
        </Text>
      ) : null}
      {message.clicked_at ? (
        <Text size="xs" c="dimmed">
          first clicked {formatDateTime(message.clicked_at)}
        </Text>
      ) : null}
      {machines > 0 ? (
        <Tooltip label="Privacy proxies and link scanners, not people" withArrow>
          <Text size="xs" c="dimmed" td="underline dotted" tabIndex={0}>
            +{machines} by machines
          </Text>
        </Tooltip>
      ) : null}
    </Group>
  );
}

function Warnings({ message }: { message: ThreadMessageData }) {
  return (
    <>
      {message.status === 'failed' ? (
        <Alert color="red" variant="light" p="xs" icon={<IconAlertTriangle size={16} />} title="Not sent">
          {message.error ?? 'The mail server refused this email.'}
        </Alert>
      ) : null}
      {message.bounced_at ? (
        <Alert color="red" variant="light" p="xs" icon={<IconMailOff size={16} />} title="Bounced">
          The address did not accept this email ({formatDateTime(message.bounced_at)}).
        </Alert>
      ) : null}
      {message.complained_at ? (
        <Alert
          color="orange"
          variant="light"
          p="xs"
          icon={<IconAlertTriangle size={16} />}
          title="Marked as spam"
        >
          The customer reported this email as spam ({formatDateTime(message.complained_at)}).
        </Alert>
      ) : null}
    </>
  );
}

/** The text part by default; the HTML part on request, in a sandboxed frame. */
function Body({ message }: { message: ThreadMessageData }) {
  const [html, setHtml] = useState(false);
  const text = message.body_text?.trim();
  const showHtml = message.body_html !== null && (html || !text);
  return (
    <Stack gap={4}>
      {showHtml && message.body_html !== null ? (
        <EmailHtmlFrame html={message.body_html} title={`Email: ${message.subject}`} />
      ) : text ? (
        <Spoiler maxHeight={180} showLabel="Show more" hideLabel="Show less">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {text}
          </Text>
        </Spoiler>
      ) : (
        <Text size="sm" c="dimmed">
          (no body)
        </Text>
      )}
      {message.body_html !== null && text ? (
        <Button
          variant="subtle"
          size="compact-xs"
          w="fit-content"
          aria-pressed={html}
          onClick={() => setHtml((v) => !v)}
        >
          {html ? 'Show text' : 'Show HTML'}
        </Button>
      ) : null}
    </Stack>
  );
}

/** How the server knew an event was a machine, in words. */
const machineReasons: Record<string, string> = {
  provider: 'reported by the mail provider',
  no_agent: 'no browser',
  privacy_proxy: 'privacy proxy',
  known_agent: 'link scanner',
  too_soon: 'too soon after delivery',
  all_links: 'every link at once',
};

const machineText = (reason: string | null) =>
  reason
    ? ` · by a machine (${machineReasons[reason] ?? humanize(reason).toLowerCase()})`
    : ' · by a machine';

/** What happened to the email, oldest first, machines marked. */
function Events({ message }: { message: ThreadMessageData }) {
  const [open, setOpen] = useState(false);
  if (message.events.length === 0) return null;
  return (
    <Box>
      <Anchor
        component="button"
        type="button"
        size="xs"
        onClick={() => setOpen((v) => !v)}
        aria-expanded={open}
      >
        {open ? 'Hide events' : `Events (${message.events.length})`}
      </Anchor>
      {open ? (
        <List size="xs" spacing={2} mt={4} aria-label="Email events">
          {message.events.map((event, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: events have no id and only ever append
            <List.Item key={`${event.kind}-${event.occurred_at}-${index}`}>
              {humanize(event.kind)} · {formatDateTime(event.occurred_at)}
              {event.link_url ? ` · ${event.link_url}` : ''}
              {event.machine ? machineText(event.machine_reason) : ''}
            </List.Item>
          ))}
        </List>
      ) : null}
    </Box>
  );
}

/** One email of a thread: who to whom, when, status, template or campaign, engagement, body. */
export function ThreadMessage({
  message,
  onReply,
}: {
  message: ThreadMessageData;
  /** Given to those who may send: inbound mail offers a reply. */
  onReply?: (message: ThreadMessageData) => void;
}) {
  const inbound = message.direction === 'inbound';
  const at = inbound ? message.created_at : (message.sent_at ?? message.created_at);
  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      component="article"
      aria-label={`${inbound ? 'Received' : 'Sent'} email: ${message.subject}`}
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Group gap="xs" wrap="nowrap" align="flex-start">
            {inbound ? (
              <IconInbox size={18} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
            ) : (
              <IconSend size={18} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
            )}
            <Stack gap={0}>
              <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                {inbound ? 'Received' : 'Sent'} · from {message.from_address}
                {inbound ? '' : ` to ${message.email_address}`}
              </Text>
              <Text size="xs" c="dimmed">
                <time dateTime={at}>{formatDateTime(at)}</time>
                {message.sent_by ? ` · by ${message.sent_by.name ?? 'a staff member'}` : ''}
                {message.category === 'marketing' ? ' · marketing' : ''}
                {message.template ? ` · template ${message.template.name} v${message.template.version}` : ''}
                {message.campaign ? ` · campaign ${message.campaign.name}` : ''}
              </Text>
            </Stack>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <EmailStatusBadge status={message.status} />
            {inbound && onReply ? (
              <Button
                size="compact-xs"
                variant="light"
                leftSection={<IconArrowBackUp size={14} aria-hidden />}
                onClick={() => onReply(message)}
              >
                Reply
              </Button>
            ) : null}
          </Group>
        </Group>
        <Engagement message={message} />
        <Warnings message={message} />
        <Body message={message} />
        <Events message={message} />
      </Stack>
    </Paper>
  );
}
