import { useParams } from 'react-router';
import { SegmentDetail } from '../../features/segments/components/segment-detail.js';

export function SegmentPage() {
  const { id = '' } = useParams();
  return <SegmentDetail key={id} id={id} />;
}
