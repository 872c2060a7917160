/** Cell shading for the retention heat map: a solid colour per share, with text that stays legible. */
type Rgb = [number, number, number];

const hex = (h: string): Rgb => [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16)) as Rgb;
const toHex = (c: Rgb) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

// From the card's own background to a strong blue: light and dark schemes each blend from theirs.
const ends = {
  light: { from: hex('#ffffff'), to: hex('#1864ab') },
  dark: { from: hex('#2e2e2e'), to: hex('#74c0fc') },
} as const;

/**
 * The background for a cell whose intensity is `t` (0..1), and black or white text, whichever
 * contrasts more with it (always at least 4.5:1). Zero is left unshaded.
 */
export function heatColor(t: number, scheme: 'light' | 'dark'): { background?: string; color?: string } {
  if (!(t > 0)) return {};
  const { from, to } = ends[scheme];
  const k = Math.min(1, Math.max(0.08, t));
  const mixed = from.map((v, i) => v + (to[i]! - v) * k) as Rgb;
  const l = luminance(mixed);
  return { background: toHex(mixed), color: contrast(l, 0) >= contrast(l, 1) ? '#000000' : '#ffffff' };
}
