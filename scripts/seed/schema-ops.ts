import type { LoadSession } from './connection.js';

/**
 * What the bulk load takes away and puts back: secondary indexes, unique and foreign-key
 * constraints and user triggers of the tables it fills. Definitions are read from the catalog
 * before dropping, so what is restored is exactly what the migrations made (including anything a
 * later migration adds).
 */
export interface Suspended {
  /** CREATE INDEX statements. */
  indexes: { name: string; table: string; sql: string }[];
  /** ALTER TABLE ... ADD CONSTRAINT statements (unique, exclusion). */
  constraints: { name: string; table: string; sql: string }[];
  /** Foreign keys, added last (they need the indexes). */
  foreignKeys: { name: string; table: string; sql: string }[];
  /** Triggers that were enabled and are disabled for the load. */
  triggers: { name: string; table: string }[];
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function suspendSchema(session: LoadSession, tables: string[]): Promise<Suspended> {
  const regs = tables.map((t) => `public.${t}`);
  const indexes = await session.query<{
    name: string;
    table: string;
    sql: string;
    constraint_sql: string | null;
  }>(
    `select i.relname as name, t.relname as "table", pg_get_indexdef(x.indexrelid) as sql,
            case when c.oid is not null
                 then format('ALTER TABLE %I ADD CONSTRAINT %I %s', t.relname, c.conname, pg_get_constraintdef(c.oid))
            end as constraint_sql
       from pg_index x
       join pg_class i on i.oid = x.indexrelid
       join pg_class t on t.oid = x.indrelid
       left join pg_constraint c on c.conindid = x.indexrelid and c.conrelid = x.indrelid and c.contype in ('u', 'x')
      where x.indrelid = any($1::regclass[])
        and not x.indisprimary
        -- an index that a foreign key of another table depends on must stay
        and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.conindid = x.indexrelid)
      order by t.relname, i.relname`,
    [regs],
  );
  const foreignKeys = await session.query<{ name: string; table: string; sql: string }>(
    `select c.conname as name, t.relname as "table",
            format('ALTER TABLE %I ADD CONSTRAINT %I %s', t.relname, c.conname, pg_get_constraintdef(c.oid)) as sql
       from pg_constraint c join pg_class t on t.oid = c.conrelid
      where c.contype = 'f' and c.conrelid = any($1::regclass[])
      order by t.relname, c.conname`,
    [regs],
  );
  const triggers = await session.query<{ name: string; table: string }>(
    `select tg.tgname as name, t.relname as "table"
       from pg_trigger tg join pg_class t on t.oid = tg.tgrelid
      where tg.tgrelid = any($1::regclass[]) and not tg.tgisinternal and tg.tgenabled <> 'D'
      order by t.relname, tg.tgname`,
    [regs],
  );

  for (const fk of foreignKeys) {
    await session.query(`ALTER TABLE ${ident(fk.table)} DROP CONSTRAINT ${ident(fk.name)}`);
  }
  const suspended: Suspended = { indexes: [], constraints: [], foreignKeys, triggers };
  for (const ix of indexes) {
    if (ix.constraint_sql) {
      const conname = ix.constraint_sql.match(/ADD CONSTRAINT (\S+)/)?.[1] ?? ident(ix.name);
      await session.query(`ALTER TABLE ${ident(ix.table)} DROP CONSTRAINT ${conname}`);
      suspended.constraints.push({ name: ix.name, table: ix.table, sql: ix.constraint_sql });
    } else {
      await session.query(`DROP INDEX ${ident(ix.name)}`);
      suspended.indexes.push({ name: ix.name, table: ix.table, sql: ix.sql });
    }
  }
  for (const tg of triggers) {
    await session.query(`ALTER TABLE ${ident(tg.table)} DISABLE TRIGGER ${ident(tg.name)}`);
  }
  return suspended;
}

export async function restoreSchema(
  session: LoadSession,
  suspended: Suspended,
  log: (line: string) => void,
): Promise<void> {
  const timed = async (label: string, sql: string) => {
    const t0 = performance.now();
    await session.query(sql);
    log(`  ${label} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };
  for (const ix of suspended.indexes) await timed(`index ${ix.table}.${ix.name}`, ix.sql);
  for (const c of suspended.constraints) await timed(`constraint ${c.table}.${c.name}`, c.sql);
  for (const fk of suspended.foreignKeys) await timed(`foreign key ${fk.table}.${fk.name}`, fk.sql);
  for (const tg of suspended.triggers) {
    await session.query(`ALTER TABLE ${ident(tg.table)} ENABLE TRIGGER ${ident(tg.name)}`);
  }
}
