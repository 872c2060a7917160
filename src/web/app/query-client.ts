import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '../lib/api-client.js';
import { queryKeys } from '../lib/query-keys.js';

/** Any 401 means the session ended: clear the user so the auth guard sends them to sign in. */
function onAuthError(error: unknown) {
  if (isApiError(error, 401)) queryClient.setQueryData(queryKeys.me, null);
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onAuthError }),
  mutationCache: new MutationCache({ onError: onAuthError }),
  defaultOptions: {
    queries: {
      retry: (failureCount, error) => !isApiError(error) || (error.status >= 500 && failureCount < 2),
      refetchOnWindowFocus: false,
    },
  },
});
