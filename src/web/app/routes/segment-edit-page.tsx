import { Anchor, Group, Loader, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../components/page-header.js';
import { QueryError } from '../../components/query-error.js';
import { SegmentEditor } from '../../features/segments/components/segment-editor.js';
import { useSegmentForEdit } from '../../features/segments/api/update-segment.js';

/** /segments/new and /segments/:id/edit. */
export function SegmentEditPage() {
  const { id } = useParams();
  const segment = useSegmentForEdit(id);

  if (!id) {
    return (
      <>
        <PageHeader
          title="New segment"
          description="Describe who belongs with rules; the count on the right updates as you go."
        />
        <SegmentEditor />
      </>
    );
  }
  if (segment.isPending) {
    return (
      <Group gap="xs">
        <Loader size="sm" />
        <Text c="dimmed">Loading segment…</Text>
      </Group>
    );
  }
  if (segment.isError) {
    return (
      <QueryError
        error={segment.error}
        onRetry={() => void segment.refetch()}
        title="Could not load the segment"
      />
    );
  }
  return (
    <>
      <PageHeader
        title={`Edit ${segment.data.name}`}
        description={
          <>
            Changes apply when saved.{' '}
            <Anchor component={Link} to={`/segments/${id}`} size="sm" underline="always">
              Back to the segment
            </Anchor>
          </>
        }
      />
      {/* keyed: a different segment (or a reload) starts a fresh form */}
      <SegmentEditor key={id} segment={segment.data} />
    </>
  );
}
