import { Anchor, Group, Loader, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../components/page-header.js';
import { QueryError } from '../../components/query-error.js';
import { useSegment } from '../../features/segments/api/get-segment.js';
import { SegmentEditor } from '../../features/segments/components/segment-editor.js';

function EditSegment({ id }: { id: string }) {
  const segment = useSegment(id);
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
      <SegmentEditor segment={segment.data} />
    </>
  );
}

/** /segments/new and /segments/:id/edit. */
export function SegmentEditPage() {
  const { id } = useParams();
  if (id) return <EditSegment key={id} id={id} />;
  return (
    <>
      <PageHeader
        title="New segment"
        description="Describe who belongs with rules; the count beside them updates as you go."
      />
      <SegmentEditor />
    </>
  );
}
