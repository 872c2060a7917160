import { Anchor, Box, Grid, Paper, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { CommunicationAnalytics, Engagement } from '../../../../shared/communications.js';
import { formatCount } from '../../../lib/format.js';
import { formatRate } from './engagement-format.js';

const nowrap = { whiteSpace: 'nowrap' } as const;

interface Row {
  key: string;
  label: ReactNode;
  engagement: Engagement;
}

/** Sent and the rates at each stage, one row per template, campaign or segment. */
function EngagementTable({ title, what, rows }: { title: string; what: string; rows: Row[] }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Title order={3} size="h5" mb="sm">
        {title}
      </Title>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing sent this way in the period.
        </Text>
      ) : (
        // names wrap, numbers and headings stay on one line; on a narrow screen the table scrolls
        // sideways, and the scrolling box takes keyboard focus so it can be scrolled without a mouse
        <Box style={{ overflowX: 'auto' }} tabIndex={0}>
          <Table aria-label={title} verticalSpacing={6} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{what}</Table.Th>
                <Table.Th scope="col" ta="right" style={nowrap}>
                  Sent
                </Table.Th>
                <Table.Th scope="col" ta="right" style={nowrap}>
                  Open %
                </Table.Th>
                <Table.Th scope="col" ta="right" style={nowrap}>
                  Click %
                </Table.Th>
                <Table.Th scope="col" ta="right" style={nowrap}>
                  Reply %
                </Table.Th>
                <Table.Th scope="col" ta="right" style={nowrap}>
                  Bounce %
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(({ key, label, engagement: e }) => (
                <Table.Tr key={key}>
                  <Table.Th scope="row" fw={500}>
                    {label}
                  </Table.Th>
                  <Table.Td ta="right" style={nowrap}>
                    {formatCount(e.sent)}
                  </Table.Td>
                  <Table.Td ta="right" style={nowrap}>
                    {formatRate(e.open_rate)}
                  </Table.Td>
                  <Table.Td ta="right" style={nowrap}>
                    {formatRate(e.click_rate)}
                  </Table.Td>
                  <Table.Td ta="right" style={nowrap}>
                    {formatRate(e.reply_rate)}
                  </Table.Td>
                  <Table.Td ta="right" style={nowrap}>
                    {formatRate(e.bounce_rate)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Box>
      )}
    </Paper>
  );
}

/** The period's numbers per template version, per campaign and per segment. */
export function AnalyticsTables({ analytics }: { analytics: CommunicationAnalytics }) {
  const templates: Row[] = analytics.templates.map((t) => ({
    key: `${t.template_id}:${t.version}`,
    label: (
      <Anchor component={Link} to={`/communications/templates/${t.template_id}`} size="sm">
        {t.name} v{t.version}
      </Anchor>
    ),
    engagement: t,
  }));
  const campaigns: Row[] = analytics.campaigns.map((c) => ({
    key: c.campaign_id,
    label: c.name,
    engagement: c,
  }));
  const segments: Row[] = analytics.segments.map((s) => ({
    key: s.segment_id ?? `deleted:${s.name}`,
    label: s.segment_id ? (
      <Anchor component={Link} to={`/segments/${s.segment_id}`} size="sm">
        {s.name}
      </Anchor>
    ) : (
      s.name
    ),
    engagement: s,
  }));
  return (
    <Grid gap="md">
      <Grid.Col span={12}>
        <EngagementTable title="By template" what="Template" rows={templates} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <EngagementTable title="By campaign" what="Campaign" rows={campaigns} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <EngagementTable title="By segment" what="Segment" rows={segments} />
      </Grid.Col>
    </Grid>
  );
}
