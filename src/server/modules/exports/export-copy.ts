import { once } from 'node:events';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { type ExportSpec, exportQuery, exportedCustomers } from './export-query.js';

const LF = 10;
const QUOTE = 34;
const CRLF = Buffer.from('\r\n');

/**
 * COPY ends records with LF; RFC 4180 (and the CSV writer) with CRLF. Line feeds inside quoted
 * values are data and stay as they are; the records are counted for progress on the way.
 */
class CrlfRecords extends Transform {
  private quoted = false;
  records = 0;
  constructor(private readonly onRecords: (n: number) => void) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    const parts: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i += 1) {
      const b = chunk[i];
      if (b === QUOTE) this.quoted = !this.quoted;
      else if (b === LF && !this.quoted) {
        parts.push(chunk.subarray(start, i), CRLF);
        start = i + 1;
        this.records += 1;
      }
    }
    parts.push(chunk.subarray(start));
    this.onRecords(this.records);
    done(null, Buffer.concat(parts));
  }
}

/**
 * A CSV export on PostgreSQL, by the database's own COPY: the same columns, rows and bytes as the
 * cursor and CSV writer path (export-columns.ts prints each value as the writer does), at COPY's
 * speed and with no rows in this process's memory. One REPEATABLE READ transaction on one
 * connection counts and copies the same snapshot. Returns the rows written.
 */
export async function copyCsvExport(
  client: PoolClient,
  db: Kysely<DB>,
  spec: ExportSpec,
  out: NodeJS.WritableStream & { write(chunk: string): boolean },
  o: { bom: boolean; onStart(rowCount: number): void; onProgress(rows: number): void },
): Promise<{ rowCount: number; written: number }> {
  await client.query('begin isolation level repeatable read');
  try {
    let rowCount: number;
    let idsTable: string | undefined;
    const ids = exportedCustomers(db, spec).select('c.id').compile();
    if (ids.parameters.length === 0) {
      rowCount = Number((await client.query(`select count(*) as n from (${ids.sql}) s`)).rows[0].n);
    } else {
      // COPY takes no bound values: the selection (with its values) is listed in a table first
      idsTable = 'crm_export_ids';
      await client.query(`create temp table ${idsTable} (id uuid primary key) on commit drop`);
      await client.query(`insert into ${idsTable} (id) ${ids.sql}`, [...ids.parameters]);
      rowCount = Number((await client.query(`select count(*) as n from ${idsTable}`)).rows[0].n);
    }
    o.onStart(rowCount);
    const copy = exportQuery(db, spec, { csv: true, ...(idsTable ? { idsTable } : {}) }).compile();
    if (copy.parameters.length > 0)
      throw new Error('the COPY statement of an export must have no bound values');
    if (o.bom && !out.write('\uFEFF')) await once(out, 'drain');
    const records = new CrlfRecords((n) => o.onProgress(Math.max(0, n - 1)));
    await pipeline(
      client.query(copyTo(`COPY (${copy.sql}) TO STDOUT WITH (FORMAT csv, HEADER)`)),
      records,
      out,
    );
    await client.query('commit');
    return { rowCount, written: Math.max(0, records.records - 1) };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}
