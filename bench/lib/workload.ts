import { sql } from 'kysely';
import type { Database } from '../../src/server/db/connect.js';

/**
 * The requests the benchmark times, built from the data itself (a repeatable sample of customers)
 * so searches hit real names, emails and phone numbers at any data-set size.
 */
export interface Sample {
  ids: string[];
  searches: { kind: string; q: string }[];
  countries: string[];
}

interface SampledCustomer {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
}

const hasAccent = (s: string) => /[^\x20-\x7e]/.test(s);
const unaccent = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l');

export async function sampleWorkload(database: Database, wanted: number): Promise<Sample> {
  // ~400 customers, the same ones on every run of the same data
  const rows = (
    await sql<SampledCustomer>`
      select id, first_name, last_name, email, phone, company
        from customers tablesample system (1) repeatable (42)
       order by md5(id::text) limit 400`.execute(database.db)
  ).rows;
  let customers = rows;
  if (customers.length < 100) {
    customers = (
      await sql<SampledCustomer>`
        select id, first_name, last_name, email, phone, company from customers order by id limit 400`.execute(
        database.db,
      )
    ).rows;
  }
  const ids = customers.map((c) => c.id);

  const names: { kind: string; q: string }[] = [];
  const emails: { kind: string; q: string }[] = [];
  const phones: { kind: string; q: string }[] = [];
  const accents: { kind: string; q: string }[] = [];
  customers.forEach((c, i) => {
    const last = c.last_name?.split(' ')[0] ?? '';
    if (last.length >= 4) {
      // alternate a full surname, a fragment of one, and "first last"
      if (i % 3 === 0) names.push({ kind: 'name', q: last.toLowerCase() });
      else if (i % 3 === 1) names.push({ kind: 'name fragment', q: last.slice(0, Math.min(5, last.length)) });
      else if (c.first_name) names.push({ kind: 'first + last', q: `${c.first_name} ${last}` });
    }
    if (c.email) {
      const [local = ''] = c.email.split('@');
      emails.push({ kind: 'email fragment', q: local.slice(0, Math.max(6, Math.min(10, local.length))) });
    }
    const digits = (c.phone ?? '').replace(/\D/g, '');
    if (digits.length >= 9) phones.push({ kind: 'phone digits', q: digits.slice(-7) });
    const full = `${c.first_name ?? ''} ${c.last_name ?? ''}`;
    for (const word of full.split(' ')) {
      if (word.length >= 4 && hasAccent(word)) {
        // both ways: typed with the accent, and typed without it
        accents.push({ kind: 'accented', q: accents.length % 2 === 0 ? word : unaccent(word) });
        break;
      }
    }
  });
  const searches: { kind: string; q: string }[] = [];
  const groups = [names, emails, phones, accents];
  for (let k = 0; searches.length < wanted && k < 400; k++) {
    for (const g of groups) {
      const item = g[k];
      if (item && searches.length < wanted) searches.push(item);
    }
  }

  const countries = (
    await sql<{ country: string }>`
      select country from customer_metrics where country is not null
       group by country order by count(*) desc`.execute(database.db)
  ).rows.map((r) => r.country);
  return { ids, searches, countries };
}
