import { SegmentList } from '../../features/segments/components/segment-list.js';

export function SegmentsPage() {
  return <SegmentList />;
}
