import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMe } from '../../features/auth/api/get-me.js';

/**
 * Sends signed-out users to /login?redirect=<where they were going>. While the session is being
 * checked the app renders at once (its own requests run in parallel), so the first screen is fast.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { data: me, isPending } = useMe();
  const location = useLocation();
  if (!isPending && me === null) {
    const target = `${location.pathname}${location.search}`;
    const search = target === '/' ? '' : `?redirect=${encodeURIComponent(target)}`;
    return <Navigate to={`/login${search}`} replace />;
  }
  return children;
}
