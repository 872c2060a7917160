import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/server/db/connect.js';
import type { Customer } from '../../src/shared/customers.js';
import type { Order } from '../../src/shared/orders.js';
import {
  client,
  type ServerProcess,
  serverApiToken,
  startServerProcess,
  stopServerProcesses,
} from '../helpers/server-process.js';

/**
 * The embedded database loses nothing committed when the server dies: a real server process on
 * PGlite takes concurrent writes, is killed (SIGKILL) or stopped (SIGTERM) in the middle of them,
 * and after a restart on the same DATA_DIR every write it acknowledged is there.
 *
 * This always runs on PGlite, whatever TEST_DATABASE_URL says: the child gets its own DATA_DIR
 * and no DATABASE_URL, because the embedded engine is what is under test.
 */
const ADMIN = { email: 'durability@staff.test', password: 'durability-password' };
const dirs: string[] = [];
const startServer = (dataDir: string) => startServerProcess(dataDir, { admin: ADMIN });
const apiToken = (server: ServerProcess) => serverApiToken(server, ADMIN, 'durability');

afterAll(() => {
  stopServerProcesses();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Acknowledged {
  customers: string[];
  orders: { id: string; customer_id: string; total: number }[];
}

/**
 * Keeps several customer and order writes in flight until `stop()` resolves, then returns what
 * the server acknowledged (201). Requests cut off by the server going away are simply not counted.
 */
async function writeUntil(
  api: ReturnType<typeof client>,
  buyers: string[],
  tag: string,
  stop: (acked: Acknowledged) => Promise<void>,
): Promise<Acknowledged> {
  const acked: Acknowledged = { customers: [], orders: [] };
  let n = 0;
  let stopping = false;
  const customerWriter = async () => {
    while (!stopping) {
      const i = n++;
      try {
        const res = await api.post<Customer>('/api/crm/customers', {
          first_name: 'Durable',
          last_name: `${tag} ${i}`,
          email: `${tag}-${i}@durability.example`,
          phone: `+1 555 ${String(i).padStart(4, '0')}`,
        });
        if (res.status === 201) acked.customers.push(res.body.id);
      } catch {
        // the server went away mid-request: not acknowledged
      }
    }
  };
  const orderWriter = async () => {
    while (!stopping) {
      const i = n++;
      const customer_id = buyers[i % buyers.length]!;
      const unit_price = (i % 50) + 0.99;
      try {
        const res = await api.post<Order>('/api/orders', {
          customer_id,
          external_id: `${tag}-order-${i}`,
          items: [{ sku: `DUR-${i % 5}`, quantity: 1 + (i % 3), unit_price }],
        });
        if (res.status === 201) acked.orders.push({ id: res.body.id, customer_id, total: res.body.total });
      } catch {
        // not acknowledged
      }
    }
  };
  const writers = [...Array.from({ length: 6 }, customerWriter), ...Array.from({ length: 3 }, orderWriter)];
  await stop(acked);
  stopping = true;
  await Promise.all(writers);
  return acked;
}

/** Every acknowledged write is there after the restart, and metrics agree with the orders. */
async function expectAllThere(api: ReturnType<typeof client>, acked: Acknowledged, buyers: string[]) {
  for (let i = 0; i < acked.customers.length; i += 20) {
    const batch = acked.customers.slice(i, i + 20);
    const replies = await Promise.all(batch.map((id) => api.get<Customer>(`/api/crm/customers/${id}`)));
    expect(replies.map((r) => r.status)).toEqual(batch.map(() => 200));
  }
  for (let i = 0; i < acked.orders.length; i += 20) {
    const batch = acked.orders.slice(i, i + 20);
    const replies = await Promise.all(batch.map((o) => api.get<Order>(`/api/orders/${o.id}`)));
    expect(replies.map((r) => [r.status, r.body.total])).toEqual(batch.map((o) => [200, o.total]));
  }
  for (const id of buyers) {
    const profile = await api.get<Customer>(`/api/crm/customers/${id}`);
    const orders = await api.get<{ data: Order[]; next_cursor: string | null }>(
      `/api/crm/customers/${id}/orders?limit=200`,
    );
    expect(orders.body.next_cursor).toBeNull();
    const kept = orders.body.data.filter((o) => o.status === 'paid' || o.status === 'fulfilled');
    const revenue = Math.round(kept.reduce((sum, o) => sum + o.total * 100, 0)) / 100;
    expect(profile.body).toMatchObject({ total_orders: kept.length, lifetime_value: revenue });
    const ackedHere = acked.orders.filter((o) => o.customer_id === id).length;
    expect(kept.length).toBeGreaterThanOrEqual(ackedHere);
  }
}

/** At least `ms` of writes, and enough acknowledged ones to make the check mean something. */
async function writesUnderWay(acked: Acknowledged, ms: number) {
  const start = Date.now();
  while (Date.now() - start < ms || acked.customers.length < 30 || acked.orders.length < 10) {
    if (Date.now() - start > 90_000) throw new Error('the server acknowledged too few writes');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function makeBuyers(api: ReturnType<typeof client>, tag: string) {
  const buyers: string[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await api.post<Customer>('/api/crm/customers', {
      first_name: 'Buyer',
      email: `${tag}-buyer-${i}@durability.example`,
    });
    expect(res.status).toBe(201);
    buyers.push(res.body.id);
  }
  return buyers;
}

describe('the embedded database survives its server process', () => {
  it('kill -9 during writes loses nothing acknowledged', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-kill-'));
    dirs.push(dataDir);
    let server = await startServer(dataDir);
    const token = await apiToken(server);
    let api = client(server, token);
    const buyers = await makeBuyers(api, 'kill');

    const victim = server;
    const acked = await writeUntil(api, buyers, 'kill', async (soFar) => {
      await writesUnderWay(soFar, 2_000);
      victim.child.kill('SIGKILL');
    });
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(acked.customers.length, victim.output()).toBeGreaterThanOrEqual(30);
    expect(acked.orders.length, victim.output()).toBeGreaterThanOrEqual(10);

    server = await startServer(dataDir);
    api = client(server, token); // the token itself was a committed write
    await expectAllThere(api, acked, buyers);
    const list = await api.get<{ total: number }>('/api/crm/customers?q=durability.example&limit=1');
    // in-flight writes may or may not have committed; acknowledged ones must have
    expect(list.body.total).toBeGreaterThanOrEqual(acked.customers.length + buyers.length);

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  }, 240_000);

  it('SIGTERM during writes exits 0 after finishing them, and the data is there on restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-term-'));
    dirs.push(dataDir);
    let server = await startServer(dataDir);
    const token = await apiToken(server);
    let api = client(server, token);
    const buyers = await makeBuyers(api, 'term');

    const stopping = server;
    const acked = await writeUntil(api, buyers, 'term', async (soFar) => {
      await writesUnderWay(soFar, 1_500);
      stopping.child.kill('SIGTERM');
      await stopping.exited;
    });
    expect(await stopping.exited, stopping.output()).toEqual({ code: 0, signal: null });
    expect(acked.customers.length).toBeGreaterThanOrEqual(30);
    expect(acked.orders.length).toBeGreaterThanOrEqual(10);

    server = await startServer(dataDir);
    api = client(server, token);
    await expectAllThere(api, acked, buyers);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });

    // opened directly after a clean stop: a full recompute of the metrics changes nothing
    const database = await connectDatabase({ dataDir });
    try {
      const changed = await sql<{ n: number }>`select crm_recompute_all_metrics() as n`.execute(database.db);
      expect(Number(changed.rows[0]!.n)).toBe(0);
      const orders = await database.db
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(orders.n)).toBeGreaterThanOrEqual(acked.orders.length);
    } finally {
      await database.close();
    }
  }, 240_000);
});
