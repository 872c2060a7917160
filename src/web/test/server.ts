import type { AddressInfo } from 'node:net';
import type { StaffRole } from '../../shared/enums.js';
import type { Config } from '../../server/config.js';
import { createTestApp, type StaffHandle, type TestApp } from '../../../tests/helpers/test-app.js';
import { login } from '../features/auth/api/login.js';

export const testPassword = 'correct horse battery staple';

interface HappyDomWindow {
  happyDOM: { setURL(url: string): void; abort(): Promise<void> };
}

const happyDOM = () => (window as unknown as HappyDomWindow).happyDOM;

export interface WebTestServer extends TestApp {
  origin: string;
  /** A staff user with a password, signed in: the DOM's cookie jar now holds their session. */
  signIn(role: StaffRole, opts?: { email?: string }): Promise<StaffHandle>;
  /** Ends the session in the cookie jar (if any). */
  signOut(): Promise<void>;
}

/**
 * The real server on a loopback port, with the DOM's window placed on its origin, so the web app's
 * same-origin `/api/...` requests and its session cookie go to it as in a browser. `overrides`
 * change the server's configuration (an export approval threshold, say).
 */
export async function startWebTestServer(overrides: Partial<Config> = {}): Promise<WebTestServer> {
  const t = await createTestApp(overrides);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  happyDOM().setURL(`${origin}/`);
  const server: WebTestServer = {
    ...t,
    origin,
    async signIn(role, opts = {}) {
      const staff = await t.staff(role, { password: testPassword, email: opts.email });
      await login({ email: staff.email, password: testPassword });
      return staff;
    },
    async signOut() {
      await fetch('/api/auth/logout', { method: 'POST' });
    },
    async close() {
      // Requests the last test left in flight end before the server does.
      await happyDOM().abort();
      await t.close();
    },
  };
  return server;
}
