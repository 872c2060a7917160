import cronstrue from 'cronstrue';

/**
 * Five-field cron (minute hour day-of-month month day-of-week) read back in words while it is
 * typed, with the same library and options the server uses for a schedule's `cron_description`,
 * so the form and the list say the same thing.
 */

export interface CronPreset {
  label: string;
  cron: string;
}

export const cronPresets: CronPreset[] = [
  { label: 'Every day 07:00', cron: '0 7 * * *' },
  { label: 'Every Monday 07:00', cron: '0 7 * * 1' },
  { label: 'Weekdays 07:00', cron: '0 7 * * 1-5' },
  { label: 'First of the month 07:00', cron: '0 7 1 * *' },
  { label: 'Every hour', cron: '0 * * * *' },
];

export type CronReading = { ok: true; text: string } | { ok: false; error: string };

/** "0 7 * * 1" → "At 07:00, only on Monday"; a bad expression → what is wrong with it. */
export function describeCron(cron: string): CronReading {
  const parts = cron.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== 5) {
    return { ok: false, error: 'Use five fields: minute, hour, day of month, month, day of week' };
  }
  try {
    const text = cronstrue.toString(parts.join(' '), {
      use24HourTimeFormat: true,
      verbose: false,
      throwExceptionOnParseError: true,
    });
    return { ok: true, text };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: message.replace(/^Error:\s*/, '') };
  }
}
