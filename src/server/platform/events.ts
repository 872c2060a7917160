import pg from 'pg';
import type { Database } from '../db/connect.js';

/** A new-timeline-events notice, as migration 014's trigger sends it. */
export type CustomerEventNotice =
  | { customer_id: string; kinds: string[]; latest_id: string }
  | { bulk: true; customers: number };

/** New notifications for these staff users (sent by the notifications module at commit). */
export interface NotificationNotice {
  recipient_ids: string[];
  kind: string;
}

export type LiveNotice =
  | ({ channel: 'customer_events' } & CustomerEventNotice)
  | ({ channel: 'notifications' } & NotificationNotice);

type Listener = (notice: LiveNotice) => void;

export const CUSTOMER_EVENTS_CHANNEL = 'crm_customer_events';
export const NOTIFICATIONS_CHANNEL = 'crm_notifications';
const channels = {
  [CUSTOMER_EVENTS_CHANNEL]: 'customer_events',
  [NOTIFICATIONS_CHANNEL]: 'notifications',
} as const;

export interface EventHub {
  /** Calls `listener` for every notice until the returned function is called. */
  subscribe(listener: Listener): () => void;
  close(): Promise<void>;
}

function parse(channel: string, payload: string | undefined): LiveNotice | null {
  const name = channels[channel as keyof typeof channels];
  if (!name || !payload) return null;
  try {
    const body = JSON.parse(payload) as CustomerEventNotice | NotificationNotice;
    return { ...body, channel: name } as LiveNotice;
  } catch {
    return null;
  }
}

/**
 * Hears `NOTIFY crm_customer_events` and `NOTIFY crm_notifications` from any process on the
 * database and hands each notice to this process's subscribers (the server-sent-event streams). On PostgreSQL it holds one
 * connection of its own, re-opened after a failure; on PGlite it uses PGlite's listen().
 */
export async function createEventHub(
  database: Database,
  log?: { warn(obj: unknown, msg: string): void },
): Promise<EventHub> {
  const listeners = new Set<Listener>();
  const dispatch = (channel: string, payload: string | undefined) => {
    const notice = parse(channel, payload);
    if (notice) for (const l of listeners) l(notice);
  };
  const subscribe = (listener: Listener) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };

  if (database.pglite) {
    const pglite = database.pglite;
    const unlisteners = await Promise.all(
      Object.keys(channels).map((channel) => pglite.listen(channel, (payload) => dispatch(channel, payload))),
    );
    // the database may already be closed (it is closed after the app in main.ts, but not always)
    return {
      subscribe,
      close: async () => {
        await Promise.all(unlisteners.map((unlisten) => unlisten().catch(() => undefined)));
      },
    };
  }

  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (delayMs = 500) => {
    if (closed || !database.url) return;
    const c = new pg.Client({ connectionString: database.url });
    c.on('notification', (msg) => dispatch(msg.channel, msg.payload));
    c.on('error', (err) => {
      log?.warn({ err }, 'event listener connection lost; reconnecting');
      void c.end().catch(() => undefined);
      if (client === c) client = null;
      retry = setTimeout(() => void connect(Math.min(delayMs * 2, 10_000)), delayMs);
    });
    try {
      await c.connect();
      for (const channel of Object.keys(channels)) await c.query(`LISTEN ${channel}`);
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
