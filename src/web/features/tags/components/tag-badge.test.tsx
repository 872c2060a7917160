import { describe, expect, it } from 'vitest';
import { tagTextColor } from './tag-badge.js';

function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('tagTextColor', () => {
  it('keeps any tag colour readable (WCAG AA, 4.5:1)', () => {
    // every 17th step of each channel: 4,096 colours across the cube
    for (let r = 0; r < 256; r += 17)
      for (let g = 0; g < 256; g += 17)
        for (let b = 0; b < 256; b += 17) {
          const bg = `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
          expect(contrast(bg, tagTextColor(bg)), bg).toBeGreaterThanOrEqual(4.5);
        }
  });

  it('puts dark text on light colours and white on dark ones', () => {
    expect(tagTextColor('#fab005')).toBe('#000000');
    expect(tagTextColor('#1971c2')).toBe('#ffffff');
    expect(tagTextColor('nonsense')).toBe('var(--mantine-color-text)');
  });
});
