import { lazy } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './layout/app-layout.js';
import { RequireAuth } from './layout/require-auth.js';
import { RequirePermission } from './layout/require-permission.js';
import { CustomersPage } from './routes/customers-page.js';
import { LoginPage } from './routes/login-page.js';
import { NotFoundPage } from './routes/not-found-page.js';

// The customer list ships in the first bundle (it must show rows fast); other screens load on demand.
const CustomerProfilePage = lazy(() =>
  import('./routes/customer-profile-page.js').then((m) => ({ default: m.CustomerProfilePage })),
);
const CustomerNewPage = lazy(() =>
  import('./routes/customer-new-page.js').then((m) => ({ default: m.CustomerNewPage })),
);
const CustomerImportPage = lazy(() =>
  import('./routes/customer-import-page.js').then((m) => ({ default: m.CustomerImportPage })),
);
const StaffPage = lazy(() => import('./routes/staff-page.js').then((m) => ({ default: m.StaffPage })));
const TagsPage = lazy(() => import('./routes/tags-page.js').then((m) => ({ default: m.TagsPage })));
const SegmentsPage = lazy(() =>
  import('./routes/segments-page.js').then((m) => ({ default: m.SegmentsPage })),
);
const SegmentPage = lazy(() => import('./routes/segment-page.js').then((m) => ({ default: m.SegmentPage })));
const SegmentEditPage = lazy(() =>
  import('./routes/segment-edit-page.js').then((m) => ({ default: m.SegmentEditPage })),
);
const InsightsPage = lazy(() =>
  import('./routes/insights-page.js').then((m) => ({ default: m.InsightsPage })),
);
const AnalyticsPage = lazy(() =>
  import('./routes/analytics-page.js').then((m) => ({ default: m.AnalyticsPage })),
);
const TicketsPage = lazy(() => import('./routes/tickets-page.js').then((m) => ({ default: m.TicketsPage })));
const TicketPage = lazy(() => import('./routes/ticket-page.js').then((m) => ({ default: m.TicketPage })));
const TasksPage = lazy(() => import('./routes/tasks-page.js').then((m) => ({ default: m.TasksPage })));
const MyWorkPage = lazy(() => import('./routes/my-work-page.js').then((m) => ({ default: m.MyWorkPage })));
const ActivityPage = lazy(() =>
  import('./routes/activity-page.js').then((m) => ({ default: m.ActivityPage })),
);
const CommunicationsPage = lazy(() =>
  import('./routes/communications-page.js').then((m) => ({ default: m.CommunicationsPage })),
);
const EmailTemplatePage = lazy(() =>
  import('./routes/email-template-page.js').then((m) => ({ default: m.EmailTemplatePage })),
);
const ExportsPage = lazy(() => import('./routes/exports-page.js').then((m) => ({ default: m.ExportsPage })));
const ExportSchedulesPage = lazy(() =>
  import('./routes/export-schedules-page.js').then((m) => ({ default: m.ExportSchedulesPage })),
);
const AuditPage = lazy(() => import('./routes/audit-page.js').then((m) => ({ default: m.AuditPage })));
const TokensPage = lazy(() => import('./routes/tokens-page.js').then((m) => ({ default: m.TokensPage })));

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
      { path: 'tags', element: <TagsPage /> },
      { path: 'segments', element: <SegmentsPage /> },
      {
        path: 'segments/new',
        element: (
          <RequirePermission permission="segments:manage">
            <SegmentEditPage />
          </RequirePermission>
        ),
      },
      { path: 'segments/:id', element: <SegmentPage /> },
      {
        path: 'segments/:id/edit',
        element: (
          <RequirePermission permission="segments:manage">
            <SegmentEditPage />
          </RequirePermission>
        ),
      },
      { path: 'insights', element: <InsightsPage /> },
      {
        path: 'analytics',
        element: (
          <RequirePermission permission="analytics:read">
            <AnalyticsPage />
          </RequirePermission>
        ),
      },
      { path: 'my-work', element: <MyWorkPage /> },
      { path: 'tickets', element: <TicketsPage /> },
      { path: 'tickets/:id', element: <TicketPage /> },
      { path: 'tasks', element: <TasksPage /> },
      { path: 'activity', element: <ActivityPage /> },
      { path: 'communications', element: <CommunicationsPage /> },
      {
        path: 'communications/templates/new',
        element: (
          <RequirePermission permission="email:campaigns">
            <EmailTemplatePage />
          </RequirePermission>
        ),
      },
      { path: 'communications/templates/:id', element: <EmailTemplatePage /> },
      {
        path: 'exports',
        element: (
          <RequirePermission permission="export:customers">
            <ExportsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'exports/schedules',
        element: (
          <RequirePermission permission="export:customers">
            <ExportSchedulesPage />
          </RequirePermission>
        ),
      },
      {
        path: 'audit',
        element: (
          <RequirePermission permission="audit:read">
            <AuditPage />
          </RequirePermission>
        ),
      },
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
