import { describe, expect, it } from 'vitest';
import { cronPresets, describeCron } from './cron-text.js';

const text = (cron: string) => {
  const reading = describeCron(cron);
  return reading.ok ? reading.text : `error: ${reading.error}`;
};

describe('describeCron', () => {
  it('reads the presets back in words', () => {
    expect(cronPresets.map((p) => text(p.cron))).toEqual([
      'At 07:00',
      'At 07:00, only on Monday',
      'At 07:00, Monday through Friday',
      'At 07:00, on day 1 of the month',
      'Every hour',
    ]);
  });

  it('reads lists, names and steps', () => {
    expect(text('30 6,18 * * mon,thu')).toBe('At 06:30 and 18:30, only on Monday and Thursday');
    expect(text(' */15  * * * * ')).toBe('Every 15 minutes');
  });

  it('says what is wrong with a bad expression', () => {
    expect(text('0 7 * *')).toMatch(/five fields/);
    expect(text('0 0 7 * * *')).toMatch(/five fields/);
    expect(text('0 25 * * *')).toBe('error: hours part must be >= 0 and <= 23');
    expect(text('0 7 * * funday')).toMatch(/invalid values: 'funday'/);
  });
});
