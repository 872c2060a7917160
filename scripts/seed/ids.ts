import { mix32 } from './random.js';

/**
 * Time-ordered UUIDs (version 7 layout). Rows get increasing ids in load order, so every primary
 * key index is appended to instead of written at random places: that is what keeps a 30-million
 * row COPY fast with the primary keys in place. The random-looking tail is a hash of the seed and
 * the row number, so ids are deterministic too.
 */
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const HEX1 = '0123456789abcdef';

function hex8(n: number): string {
  return (
    (HEX[(n >>> 24) & 255] as string) +
    (HEX[(n >>> 16) & 255] as string) +
    (HEX[(n >>> 8) & 255] as string) +
    (HEX[n & 255] as string)
  );
}
function hex4(n: number): string {
  return (HEX[(n >>> 8) & 255] as string) + (HEX[n & 255] as string);
}

/**
 * @param ms     the 48-bit timestamp part
 * @param seq12  12 bits that order ids within one millisecond
 * @param tag    which table (0-15), folded into the variant group
 * @param salt   seed-derived salt for the random-looking tail
 * @param n      row number, hashed into the tail
 */
export function uuid7(ms: number, seq12: number, tag: number, salt: number, n: number): string {
  const hi = Math.floor(ms / 65536);
  const lo = ms % 65536;
  const r1 = mix32(n ^ salt);
  const r2 = mix32(r1 ^ Math.imul(n, 0x27d4eb2f) ^ tag);
  const a = `7${HEX1[(seq12 >>> 8) & 15]}${HEX[seq12 & 255]}`;
  const variant = hex4(0x8000 | ((tag & 15) << 10) | ((r1 >>> 18) & 0x3ff));
  return `${hex8(hi)}-${hex4(lo)}-${a}-${variant}-${hex4(r1 & 0xffff)}${hex8(r2)}`;
}

/** Sequential ids for one table: 4096 per millisecond from `baseMs`. */
export class IdSequence {
  private n = 0;
  constructor(
    private readonly baseMs: number,
    private readonly tag: number,
    private readonly salt: number,
  ) {}
  next(): string {
    const n = this.n++;
    return uuid7(this.baseMs + Math.floor(n / 4096), n & 4095, this.tag, this.salt, n);
  }
  get count(): number {
    return this.n;
  }
}
