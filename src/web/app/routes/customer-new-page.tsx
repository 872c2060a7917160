import { PageHeader } from '../../components/page-header.js';
import { CustomerCreateForm } from '../../features/customers/components/customer-create-form.js';

export function CustomerNewPage() {
  return (
    <>
      <PageHeader title="New customer" description="Add a customer by hand. Email must be unique." />
      <CustomerCreateForm />
    </>
  );
}
