import { CustomerList } from '../../features/customers/components/customer-list.js';

export function CustomersPage() {
  return <CustomerList />;
}
