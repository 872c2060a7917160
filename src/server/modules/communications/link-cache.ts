import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

interface Link {
  email_id: string;
  position: number;
  url: string;
}

const MAX_ENTRIES = 50_000;
/** A link's target never changes; the limit only lets a deleted (erased) email's links go. */
const TTL_MS = 5 * 60_000;

/** Tracked links by token, remembered for a few minutes: a popular email's link is read once. */
export function createLinkCache(db: Kysely<DB>) {
  const entries = new Map<string, { link: Link; until: number }>();
  return {
    async find(token: string): Promise<Link | undefined> {
      const now = Date.now();
      const hit = entries.get(token);
      if (hit && hit.until > now) return hit.link;
      const link = await db
        .selectFrom('email_links')
        .select(['email_id', 'position', 'url'])
        .where('token', '=', token)
        .executeTakeFirst();
      if (!link) return undefined;
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      entries.set(token, { link, until: now + TTL_MS });
      return link;
    },
  };
}
