import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../app/app.js';
import { queryClient } from '../app/query-client.js';
import { router } from '../app/router.js';

export { startWebTestServer, testPassword, type WebTestServer } from './server.js';

/** Renders the whole app (providers, router, shell) at this path, from a clean query cache. */
export async function renderApp(path: string) {
  queryClient.clear();
  await router.navigate(path);
  const user = userEvent.setup();
  return { user, ...render(<App />) };
}

/** The app's current path and query, as the router sees it. */
export function currentUrl(): string {
  const { pathname, search } = router.state.location;
  return `${pathname}${search}`;
}

/** A notification (Mantine renders them as alerts) that says this. */
export function findNotification(text: string): Promise<HTMLElement> {
  return waitFor(() => {
    const match = screen.queryAllByRole('alert').find((alert) => alert.textContent?.includes(text));
    if (!match) throw new Error(`No notification says "${text}"`);
    return match;
  });
}
