import pg from 'pg';
import type { Database } from '../db/connect.js';

/** A new-timeline-events notice, as migration 014's trigger sends it. */
export type CustomerEventNotice =
  | { customer_id: string; kinds: string[]; latest_id: string }
  | { bulk: true; customers: number };

type Listener = (notice: CustomerEventNotice) => void;

export const CUSTOMER_EVENTS_CHANNEL = 'crm_customer_events';

export interface EventHub {
  /** Calls `listener` for every notice until the returned function is called. */
  subscribe(listener: Listener): () => void;
  close(): Promise<void>;
}

function parse(payload: string | undefined): CustomerEventNotice | null {
  if (!payload) return null;
  try {
    return JSON.parse(payload) as CustomerEventNotice;
  } catch {
    return null;
  }
}

/**
 * Hears `NOTIFY crm_customer_events` from any process on the database and hands each notice to
 * this process's subscribers (the server-sent-event streams). On PostgreSQL it holds one
 * connection of its own, re-opened after a failure; on PGlite it uses PGlite's listen().
 */
export async function createEventHub(
  database: Database,
  log?: { warn(obj: unknown, msg: string): void },
): Promise<EventHub> {
  const listeners = new Set<Listener>();
  const dispatch = (payload: string | undefined) => {
    const notice = parse(payload);
    if (notice) for (const l of listeners) l(notice);
  };
  const subscribe = (listener: Listener) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };

  if (database.pglite) {
    const unlisten = await database.pglite.listen(CUSTOMER_EVENTS_CHANNEL, dispatch);
    // the database may already be closed (it is closed after the app in main.ts, but not always)
    return { subscribe, close: () => unlisten().catch(() => undefined) };
  }

  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (delayMs = 500) => {
    if (closed || !database.url) return;
    const c = new pg.Client({ connectionString: database.url });
    c.on('notification', (msg) => {
      if (msg.channel === CUSTOMER_EVENTS_CHANNEL) dispatch(msg.payload);
    });
    c.on('error', (err) => {
      log?.warn({ err }, 'event listener connection lost; reconnecting');
      void c.end().catch(() => undefined);
      if (client === c) client = null;
      retry = setTimeout(() => void connect(Math.min(delayMs * 2, 10_000)), delayMs);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CUSTOMER_EVENTS_CHANNEL}`);
      client = c;
    } catch (err) {
      log?.warn({ err }, 'event listener could not connect; retrying');
      void c.end().catch(() => undefined);
      retry = setTimeout(() => void connect(Math.min(delayMs * 2, 10_000)), delayMs);
    }
  };
  await connect();
  return {
    subscribe,
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
