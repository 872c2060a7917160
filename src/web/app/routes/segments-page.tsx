import { CustomerSegmentation } from '../../features/segments/components/customer-segmentation.js';

export function SegmentsPage() {
  return <CustomerSegmentation />;
}
