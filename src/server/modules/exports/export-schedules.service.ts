import { CronExpressionParser } from 'cron-parser';
import cronstrue from 'cronstrue';
import { type Kysely, sql } from 'kysely';
import type { z } from 'zod';
import type {
  ExportSchedule,
  exportScheduleCreateSchema,
  exportScheduleUpdateSchema,
} from '../../../shared/exports.js';
import type { DB } from '../../db/schema.js';
import { actorOf, writeAudit } from '../../platform/audit.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, badInput, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { type CustomerSelection, checkSelection } from '../customers/customer-selection.js';
import { selectionInWords } from './export-query.js';
import { requestExport } from './exports.service.js';

type CreateInput = z.output<typeof exportScheduleCreateSchema>;
type UpdateInput = z.output<typeof exportScheduleUpdateSchema>;

function checkTimeZone(tz: string) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw badInput('timezone', `Unknown time zone “${tz}”; use an IANA name such as Europe/Berlin`);
  }
}

/** The next run after `from`, in the schedule's zone; a bad cron is a 400 naming `cron`. */
export function nextRunAt(cron: string, timezone: string, from = new Date()): Date {
  checkTimeZone(timezone);
  if (cron.trim().split(/\s+/).length !== 5) {
    throw badInput('cron', 'Use five fields: minute hour day-of-month month day-of-week, e.g. 0 7 * * 1');
  }
  try {
    return CronExpressionParser.parse(cron, { tz: timezone, currentDate: from }).next().toDate();
  } catch (err) {
    throw badInput('cron', `Not a valid cron expression: ${(err as Error).message}`);
  }
}

export function describeCron(cron: string) {
  try {
    return cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false });
  } catch {
    return cron;
  }
}

async function checkRecipients(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return;
  const found = await db.selectFrom('staff_users').select('id').where('id', 'in', ids).execute();
  if (found.length !== new Set(ids).size)
    throw badInput('recipient_ids', 'Every recipient must be a staff user');
}

function selectSchedules(db: Kysely<DB>) {
  return (
    db
      .selectFrom('export_schedules as s')
      .leftJoin('staff_users as cb', 'cb.id', 's.created_by')
      .selectAll('s')
      .select(['cb.name as creator_name', 'cb.email as creator_email'])
      // recipients and the segment's name in the same statement: a list is one query, not one per row
      .select(
        sql<{ id: string; name: string | null; email: string }[]>`(
        select coalesce(json_agg(json_build_object('id', r.id, 'name', r.name, 'email', r.email) order by r.email), '[]')
        from staff_users r where r.id::text in (select jsonb_array_elements_text(s.recipient_ids)))`.as(
          'recipients',
        ),
      )
      .select(
        sql<string | null>`(select g.name from segments g where g.id::text = s.selection->>'segment_id')`.as(
          'segment_name',
        ),
      )
  );
}
type ScheduleRow = NonNullable<Awaited<ReturnType<ReturnType<typeof selectSchedules>['executeTakeFirst']>>>;

function toSchedule(row: ScheduleRow): ExportSchedule {
  return {
    id: row.id,
    name: row.name,
    cron: row.cron,
    cron_description: describeCron(row.cron),
    timezone: row.timezone,
    format: row.format,
    fields: row.fields,
    selection: row.selection,
    selection_description: selectionInWords(
      row.selection as unknown as CustomerSelection,
      row.purpose,
      row.segment_name,
    ),
    purpose: row.purpose,
    bom: row.bom,
    recipients: row.recipients,
    enabled: row.enabled,
    next_run_at: row.next_run_at?.toISOString() ?? null,
    last_run_at: row.last_run_at?.toISOString() ?? null,
    last_export_id: row.last_export_id,
    created_by:
      row.created_by && row.creator_email
        ? { id: row.created_by, name: row.creator_name, email: row.creator_email }
        : null,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export async function getSchedule(deps: AppDeps, id: string) {
  const row = await selectSchedules(deps.db).where('s.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Export schedule');
  return toSchedule(row);
}

export async function listSchedules(deps: AppDeps) {
  const rows = await selectSchedules(deps.db).orderBy('s.name').orderBy('s.id').execute();
  return { data: rows.map(toSchedule) };
}

export async function createSchedule(
  deps: AppDeps,
  principal: Principal,
  ip: string | null,
  input: CreateInput,
) {
  // checked (a 400 naming cron or timezone) even when the schedule starts paused
  const next = nextRunAt(input.cron, input.timezone);
  const id = await deps.db.transaction().execute(async (trx) => {
    await checkSelection(trx, input.selection);
    await checkRecipients(trx, input.recipient_ids);
    const row = await trx
      .insertInto('export_schedules')
      .values({
        name: input.name,
        cron: input.cron,
        timezone: input.timezone,
        format: input.format,
        fields: JSON.stringify(input.fields),
        selection: JSON.stringify(input.selection),
        purpose: input.purpose,
        bom: input.bom,
        recipient_ids: JSON.stringify(input.recipient_ids),
        enabled: input.enabled,
        next_run_at: input.enabled ? next : null,
        created_by: principal.staffId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      action: 'export_schedule.created',
      actor: actorOf(principal),
      subject: { type: 'export_schedule', id: row.id },
      ip,
      details: { ...input },
    });
    return row.id;
  });
  return getSchedule(deps, id);
}

/** Version-checked: a stale edit is a 409 with the current schedule. */
export async function updateSchedule(
  deps: AppDeps,
  principal: Principal,
  ip: string | null,
  id: string,
  input: UpdateInput,
) {
  const current = await getSchedule(deps, id);
  if (current.version !== input.version) {
    throw new AppError('version_conflict', 'Someone else changed this schedule; review their version', {
      current,
    });
  }
  const { version, ...changes } = input;
  const cron = changes.cron ?? current.cron;
  const timezone = changes.timezone ?? current.timezone;
  const enabled = changes.enabled ?? current.enabled;
  const next = nextRunAt(cron, timezone);
  await deps.db.transaction().execute(async (trx) => {
    if (changes.selection) await checkSelection(trx, changes.selection);
    if (changes.recipient_ids) await checkRecipients(trx, changes.recipient_ids);
    const updated = await trx
      .updateTable('export_schedules')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.format !== undefined ? { format: changes.format } : {}),
        ...(changes.fields !== undefined ? { fields: JSON.stringify(changes.fields) } : {}),
        ...(changes.selection !== undefined ? { selection: JSON.stringify(changes.selection) } : {}),
        ...(changes.purpose !== undefined ? { purpose: changes.purpose } : {}),
        ...(changes.bom !== undefined ? { bom: changes.bom } : {}),
        ...(changes.recipient_ids !== undefined
          ? { recipient_ids: JSON.stringify(changes.recipient_ids) }
          : {}),
        cron,
        timezone,
        enabled,
        next_run_at: enabled ? next : null,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning('id')
      .executeTakeFirst();
    if (!updated)
      throw new AppError('version_conflict', 'Someone else changed this schedule; review their version');
    await writeAudit(trx, {
      action: 'export_schedule.updated',
      actor: actorOf(principal),
      subject: { type: 'export_schedule', id },
      ip,
      details: { ...changes },
    });
  });
  return getSchedule(deps, id);
}

export async function deleteSchedule(deps: AppDeps, principal: Principal, ip: string | null, id: string) {
  const current = await getSchedule(deps, id);
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('export_schedules').where('id', '=', id).execute();
    await writeAudit(trx, {
      action: 'export_schedule.deleted',
      actor: actorOf(principal),
      subject: { type: 'export_schedule', id },
      ip,
      details: { name: current.name },
    });
  });
  return current;
}

/**
 * Starts every schedule that is due: each is claimed by moving its next run forward (one
 * statement per schedule, so two server processes never both run it), then exported as its
 * creator (their permissions decide masking). A creator who is gone or disabled stops the schedule.
 */
export async function runDueSchedules(deps: AppDeps, now = new Date()) {
  const due = await deps.db
    .selectFrom('export_schedules')
    .select(['id', 'cron', 'timezone', 'next_run_at'])
    .where('enabled', '=', true)
    .where('next_run_at', '<=', now)
    .execute();
  let started = 0;
  for (const s of due) {
    const claimed = await deps.db
      .updateTable('export_schedules')
      .set({ next_run_at: nextRunAt(s.cron, s.timezone, now), last_run_at: now })
      .where('id', '=', s.id)
      .where('next_run_at', '=', s.next_run_at)
      .returningAll()
      .executeTakeFirst();
    if (!claimed) continue;
    const creator = claimed.created_by
      ? await deps.db
          .selectFrom('staff_users')
          .select(['id', 'email', 'name', 'role', 'disabled'])
          .where('id', '=', claimed.created_by)
          .executeTakeFirst()
      : undefined;
    if (!creator || creator.disabled) {
      await deps.db
        .updateTable('export_schedules')
        .set({ enabled: false, next_run_at: null })
        .where('id', '=', s.id)
        .execute();
      continue;
    }
    const principal: Principal = {
      staffId: creator.id,
      email: creator.email,
      name: creator.name,
      role: creator.role,
      // an automated client acting for its creator, as an API token would
      auth: 'api_token',
    };
    try {
      const exp = await requestExport(
        deps,
        principal,
        null,
        {
          format: claimed.format,
          fields: claimed.fields,
          selection: claimed.selection as unknown as CustomerSelection,
          purpose: claimed.purpose,
          bom: claimed.bom,
          title: claimed.name,
        } as Parameters<typeof requestExport>[3],
        claimed.id,
      );
      await deps.db
        .updateTable('export_schedules')
        .set({ last_export_id: exp.id })
        .where('id', '=', s.id)
        .execute();
      started += 1;
    } catch (err) {
      // a run that cannot start (a PDF grown past its limit, a deleted segment) is recorded; the next one tries again
      await writeAudit(deps.db, {
        action: 'export.failed',
        actor: null,
        subject: { type: 'export_schedule', id: s.id },
        details: { error: err instanceof AppError ? err.message : 'The scheduled export could not start' },
      });
    }
  }
  return started;
}
