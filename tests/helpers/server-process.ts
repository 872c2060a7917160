import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/**
 * The real server in a child process on an embedded database of its own, for tests that kill
 * or restart it. It always runs on PGlite (no DATABASE_URL), whatever TEST_DATABASE_URL says.
 */
const root = resolve(import.meta.dirname, '../..');
const started: ChildProcess[] = [];

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StaffLogin {
  email: string;
  password: string;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Kills every server a test file started (call it in afterAll). */
export function stopServerProcesses() {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export async function startServerProcess(
  dataDir: string,
  o: { admin: StaffLogin; env?: NodeJS.ProcessEnv },
): Promise<ServerProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    CRM_ADMIN_EMAIL: o.admin.email,
    CRM_ADMIN_PASSWORD: o.admin.password,
    LOG_LEVEL: 'warn',
    WEB_DIST_DIR: join(dataDir, 'no-web-app'),
    ...o.env,
  };
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let log = '';
  child.stdout!.on('data', (d: Buffer) => {
    log += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const server = { child, base: `http://127.0.0.1:${port}`, output: () => log, exited };
  await waitHealthy(server);
  return server;
}

async function waitHealthy(server: ServerProcess) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited during start:\n${server.output()}`);
    try {
      const res = await fetch(`${server.base}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok && ((await res.json()) as { status: string }).status === 'ok') return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not healthy in time:\n${server.output()}`);
}

/** Signs in with the administrator from the environment and makes an API token. */
export async function serverApiToken(
  server: ServerProcess,
  admin: StaffLogin,
  name: string,
): Promise<string> {
  const login = await fetch(`${server.base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  });
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.status}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const created = await fetch(`${server.base}/api/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name }),
  });
  if (created.status !== 201) throw new Error(`token failed: ${created.status}`);
  return ((await created.json()) as { token: string }).token;
}

/** JSON over HTTP with a bearer token. */
export function client(server: ServerProcess, token: string) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return {
    async post<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
      const res = await fetch(`${server.base}${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      return { status: res.status, body: (await res.json()) as T };
    },
    async get<T>(path: string): Promise<{ status: number; body: T }> {
      const res = await fetch(`${server.base}${path}`, { headers, signal: AbortSignal.timeout(30_000) });
      return { status: res.status, body: (await res.json()) as T };
    },
  };
}
