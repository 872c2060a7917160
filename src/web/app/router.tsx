import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './layout/app-layout.js';
import { RequireAuth } from './layout/require-auth.js';
import { RequirePermission } from './layout/require-permission.js';
import { CustomerImportPage } from './routes/customer-import-page.js';
import { CustomerNewPage } from './routes/customer-new-page.js';
import { CustomerProfilePage } from './routes/customer-profile-page.js';
import { CustomersPage } from './routes/customers-page.js';
import { LoginPage } from './routes/login-page.js';
import { NotFoundPage } from './routes/not-found-page.js';
import { StaffPage } from './routes/staff-page.js';
import { TokensPage } from './routes/tokens-page.js';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <Navigate to="/customers" replace /> },
      { path: 'customers', element: <CustomersPage /> },
      {
        path: 'customers/new',
        element: (
          <RequirePermission permission="customers:write">
            <CustomerNewPage />
          </RequirePermission>
        ),
      },
      {
        path: 'customers/import',
        element: (
          <RequirePermission permission="customers:import">
            <CustomerImportPage />
          </RequirePermission>
        ),
      },
      { path: 'customers/:id', element: <CustomerProfilePage /> },
      {
        path: 'staff',
        element: (
          <RequirePermission permission="users:manage">
            <StaffPage />
          </RequirePermission>
        ),
      },
      { path: 'settings/tokens', element: <TokensPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
