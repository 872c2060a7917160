import {
  Alert,
  Button,
  CloseButton,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconLink, IconRefresh } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { QueryError } from '../../../components/query-error.js';
import { errorMessage } from '../../../lib/api-client.js';
import { formatCount, formatDateTime, formatRelative, humanize } from '../../../lib/format.js';
import { notifySuccess } from '../../../lib/notify.js';
import { usePermission } from '../../auth/api/get-me.js';
import { formatShare } from '../analytics-format.js';
import {
  type AffinitySort,
  type AnalyticsParams,
  affinitySorts,
  minSupportChoices,
} from '../analytics-params.js';
import { analyticsKeys } from '../api/analytics-keys.js';
import { useAffinity } from '../api/get-affinity.js';
import { useRecomputeAffinity } from '../api/recompute-affinity.js';
import { AffinityTable } from './affinity-table.js';
import { JobProgress } from './job-progress.js';
import { SectionEmpty, SectionLoading } from './section-states.js';
import { useFollowJob } from './use-follow-job.js';

/** Rules shown at first, and added by each "Show more" (the API gives 200 at most). */
const pageSize = 20;
const maxRules = 200;

/** Product affinity: rules from the last count, how to filter them, and counting again. */
export function AffinitySection({
  params,
  onChange,
}: {
  params: Pick<AnalyticsParams, 'sort' | 'minSupport' | 'product'>;
  onChange: (patch: Partial<AnalyticsParams>) => void;
}) {
  const [limit, setLimit] = useState(pageSize);
  const affinity = useAffinity({
    sort: params.sort,
    limit,
    min_support: params.minSupport || undefined,
    product_id: params.product ?? undefined,
  });
  const canManage = usePermission('analytics:manage');
  const queryClient = useQueryClient();
  const recompute = useRecomputeAffinity();
  const [failure, setFailure] = useState<string | null>(null);
  const follow = useFollowJob({
    onSucceeded: () => {
      void queryClient.invalidateQueries({ queryKey: analyticsKeys.affinityAll() });
      notifySuccess('Products bought together are up to date.', 'Affinity recomputed');
    },
    onFailed: setFailure,
  });
  const start = () => {
    setFailure(null);
    recompute.mutate(undefined, {
      onSuccess: (reply) => follow.follow(reply.job_id),
      onError: (error) => setFailure(errorMessage(error)),
    });
  };
  const busy = recompute.isPending || follow.following;
  const data = affinity.data;
  const never = data !== undefined && data.computed_at === null;
  const selected = params.product
    ? (data?.rules.find((r) => r.product.id === params.product)?.product.name ?? 'the chosen product')
    : null;

  return (
    <Stack gap="sm" component="section" aria-labelledby="affinity-title">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Title order={2} size="h3" id="affinity-title">
            Products bought together
          </Title>
          <Text size="sm" c="dimmed" mih={20}>
            {data?.computed_at && data.orders > 0
              ? `Counted over ${formatCount(data.orders)} orders ${formatRelative(data.computed_at)} (${formatDateTime(data.computed_at)}).`
              : 'What customers buy in the same order: for cross-sell and recommendations.'}
          </Text>
        </div>
        {canManage && !never ? (
          <Button variant="default" leftSection={<IconRefresh size={16} />} loading={busy} onClick={start}>
            Recompute
          </Button>
        ) : null}
      </Group>
      {follow.following ? <JobProgress job={follow.job} title="Counting products bought together" /> : null}
      {failure ? (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title="Recompute failed" role="alert">
          {failure}
        </Alert>
      ) : null}

      {affinity.isPending ? (
        <SectionLoading label="Loading product affinity" />
      ) : affinity.isError ? (
        <QueryError
          error={affinity.error}
          onRetry={() => void affinity.refetch()}
          title="Could not load product affinity"
        />
      ) : never ? (
        <SectionEmpty
          icon={<IconLink size={40} stroke={1.4} opacity={0.5} aria-hidden />}
          title="Not computed yet"
          action={
            canManage ? (
              <Button mt="xs" leftSection={<IconRefresh size={16} />} loading={busy} onClick={start}>
                Compute now
              </Button>
            ) : (
              <Text size="sm" c="dimmed">
                Someone who manages analytics can compute it.
              </Text>
            )
          }
        >
          Counting pairs of products in the same orders finds what sells together, for cross-sell suggestions
          on customer profiles.
        </SectionEmpty>
      ) : affinity.data.orders === 0 ? (
        <SectionEmpty
          icon={<IconLink size={40} stroke={1.4} opacity={0.5} aria-hidden />}
          title="No orders to count yet"
        >
          Once customers place orders with several products, the pairs bought together show here.
        </SectionEmpty>
      ) : (
        <Paper withBorder p="md" radius="md">
          <Group justify="space-between" wrap="wrap" gap="sm" mb="sm">
            <Group gap="sm" wrap="wrap">
              <SegmentedControl
                size="xs"
                aria-label="Sort by"
                value={params.sort}
                onChange={(v) => onChange({ sort: v as AffinitySort })}
                data={affinitySorts.map((s) => ({ value: s, label: humanize(s) }))}
              />
              <Select
                size="xs"
                aria-label="Minimum support"
                value={String(params.minSupport)}
                onChange={(v) => onChange({ minSupport: Number(v ?? 0) })}
                data={minSupportChoices.map((s) => ({
                  value: String(s),
                  label: s === 0 ? 'Any support' : `Support ≥ ${formatShare(s)}`,
                }))}
                allowDeselect={false}
                w={150}
                comboboxProps={{ withinPortal: true }}
              />
            </Group>
            {selected ? (
              <Group gap={4} wrap="nowrap">
                <Text size="sm">
                  Only <b>{selected}</b>
                </Text>
                <CloseButton
                  size="sm"
                  aria-label="Show every product"
                  onClick={() => onChange({ product: null })}
                />
              </Group>
            ) : (
              <Text size="xs" c="dimmed">
                Pick a product to see only its rules.
              </Text>
            )}
          </Group>
          {affinity.data.rules.length === 0 ? (
            <Text size="sm" c="dimmed" ta="center" py="lg">
              {params.minSupport > 0 || params.product
                ? 'No pair of products matches these filters.'
                : 'No two products were bought in the same order yet.'}
            </Text>
          ) : (
            <div
              style={{ opacity: affinity.isPlaceholderData ? 0.6 : 1 }}
              aria-busy={affinity.isPlaceholderData}
            >
              <AffinityTable
                rules={affinity.data.rules}
                onSelectProduct={(product) => onChange({ product })}
              />
              {affinity.data.rules.length >= limit && limit < maxRules ? (
                <Group justify="center" mt="sm">
                  <Button
                    variant="subtle"
                    size="xs"
                    loading={affinity.isPlaceholderData}
                    onClick={() => setLimit((n) => Math.min(maxRules, n + pageSize))}
                  >
                    Show more
                  </Button>
                </Group>
              ) : null}
            </div>
          )}
        </Paper>
      )}
    </Stack>
  );
}
