import { PageHeader } from '../../components/page-header.js';
import { CustomerImport } from '../../features/import/components/customer-import.js';

export function CustomerImportPage() {
  return (
    <>
      <PageHeader title="Import customers" description="Create and update customers from a CSV file." />
      <CustomerImport />
    </>
  );
}
