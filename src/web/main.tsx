import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.js';
import { queryClient } from './app/query-client.js';
import { meQueryOptions } from './features/auth/api/get-me.js';
import { customersInfiniteQueryOptions } from './features/customers/api/get-customers.js';
import { parseListParams } from './features/customers/customer-list-params.js';

// Start the first requests before React renders: the session check and, on the list, its first page.
if (window.location.pathname !== '/login') void queryClient.prefetchQuery(meQueryOptions());
if (window.location.pathname === '/customers') {
  const filters = parseListParams(new URLSearchParams(window.location.search));
  void queryClient.prefetchInfiniteQuery(customersInfiniteQueryOptions(filters));
}

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
