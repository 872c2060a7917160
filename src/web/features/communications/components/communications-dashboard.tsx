import { Alert, Tabs } from '@mantine/core';
import { IconChartLine, IconInbox, IconSend, IconTemplate } from '@tabler/icons-react';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/page-header.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useMailStatus } from '../api/get-mail-status.js';
import { AnalyticsOverview } from './analytics-overview.js';
import { CampaignList } from './campaign-list.js';
import {
  type CommunicationParams,
  type CommunicationTab,
  parseCommunicationParams,
  toCommunicationSearchParams,
} from './communications-params.js';
import { TemplateList } from './template-list.js';
import { useLiveEmailStats } from './use-live-email-stats.js';

/** No SMTP server configured: say so before anyone wonders why nothing arrives. */
function OutboxNotice() {
  const status = useMailStatus();
  if (status.data?.transport !== 'outbox') return null;
  return (
    <Alert color="yellow" icon={<IconInbox size={18} />} title="Email is not delivered" mb="md">
      No SMTP server is set up, so email is written to the local outbox folder instead of being sent.
      Campaigns and statistics work as usual; customers receive nothing until SMTP is configured.
    </Alert>
  );
}

/** The communications page: analytics, campaigns and templates, each a tab kept in the URL. */
export function CommunicationsDashboard() {
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => parseCommunicationParams(search), [search]);
  const canCampaign = usePermission('email:campaigns');
  useLiveEmailStats();
  const update = useCallback(
    (patch: Partial<CommunicationParams>) =>
      setSearch(
        (current) => toCommunicationSearchParams({ ...parseCommunicationParams(current), ...patch }),
        {
          replace: true,
        },
      ),
    [setSearch],
  );

  return (
    <>
      <PageHeader
        title="Email"
        description="How email to customers does: campaigns, templates and engagement."
      />
      <OutboxNotice />
      <Tabs
        value={params.tab}
        onChange={(tab) => tab && update({ tab: tab as CommunicationTab })}
        keepMounted={false}
      >
        <Tabs.List aria-label="Email sections" mb="md">
          <Tabs.Tab value="overview" leftSection={<IconChartLine size={16} />}>
            Overview
          </Tabs.Tab>
          <Tabs.Tab value="campaigns" leftSection={<IconSend size={16} />}>
            Campaigns
          </Tabs.Tab>
          <Tabs.Tab value="templates" leftSection={<IconTemplate size={16} />}>
            Templates
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview">
          <AnalyticsOverview
            days={params.days}
            interval={params.interval}
            onChange={update}
            onStartCampaign={canCampaign ? () => update({ tab: 'campaigns' }) : undefined}
          />
        </Tabs.Panel>
        <Tabs.Panel value="campaigns">
          <CampaignList canStart={canCampaign} />
        </Tabs.Panel>
        <Tabs.Panel value="templates">
          <TemplateList
            days={params.days}
            showArchived={params.archived}
            onShowArchived={(archived) => update({ archived })}
            canEdit={canCampaign}
          />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
