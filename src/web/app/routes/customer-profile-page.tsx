import { useParams } from 'react-router';
import { CustomerProfile } from '../../features/customers/components/customer-profile.js';

export function CustomerProfilePage() {
  const { id = '' } = useParams();
  return <CustomerProfile key={id} id={id} />;
}
