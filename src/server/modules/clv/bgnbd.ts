import { type MaximumLikelihoodFit, maximiseLikelihood } from './maximum-likelihood.js';
import { hyp2f1, logGamma } from './special-functions.js';

/**
 * The BG/NBD model (Fader, Hardie and Lee, "Counting Your Customers the Easy Way", 2005): while
 * active a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase they may become
 * inactive with probability p ~ Beta(a, b). A customer is summarised by x (repeat transactions),
 * t_x (time of the last one) and T (time since the first purchase), all in weeks from the first.
 */
// a type, not an interface: the fit needs its index signature
export type BgNbdParams = {
  r: number;
  alpha: number;
  a: number;
  b: number;
};

/** Customer summaries, grouped: identical (x, t_x, T) rows carry a weight instead of repeating. */
export type BgNbdData = {
  x: Int32Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
};

function maxOf(values: Int32Array): number {
  let m = 0;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** The log-likelihood of the data (summed over customers, by weight); equation (6) of the paper. */
export function bgnbdLogLikelihood({ r, alpha, a, b }: BgNbdParams, data: BgNbdData): number {
  const maxX = maxOf(data.x);
  // every Γ term depends on x alone: computed once per distinct x, not once per customer
  const byX = new Float64Array(maxX + 1);
  const logDeath = new Float64Array(maxX + 1);
  const base = -logGamma(r) + r * Math.log(alpha) + logGamma(a + b) - logGamma(b);
  for (let x = 0; x <= maxX; x++) {
    byX[x] = base + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
    logDeath[x] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : 0;
  }
  let sum = 0;
  const n = data.x.length;
  for (let i = 0; i < n; i++) {
    const x = data.x[i]!;
    const rx = r + x;
    const stillActive = -rx * Math.log(alpha + data.T[i]!);
    let ll: number;
    if (x === 0) {
      ll = stillActive;
    } else {
      const diedAfterLast = logDeath[x]! - rx * Math.log(alpha + data.tx[i]!);
      const hi = Math.max(stillActive, diedAfterLast);
      ll = hi + Math.log(Math.exp(stillActive - hi) + Math.exp(diedAfterLast - hi));
    }
    sum += data.weight[i]! * (byX[x]! + ll);
  }
  return sum;
}

export type BgNbdFit = MaximumLikelihoodFit<BgNbdParams>;

/** Maximum-likelihood fit of r, α, a and b. */
export function fitBgNbd(data: BgNbdData): BgNbdFit {
  return maximiseLikelihood<BgNbdParams, BgNbdData>(['r', 'alpha', 'a', 'b'], bgnbdLogLikelihood, data);
}

/** P(alive | x, t_x, T): equation (13) of the paper. */
export function probabilityAlive({ r, alpha, a, b }: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const ratio = (a / (b + x - 1)) * Math.exp((r + x) * Math.log((alpha + T) / (alpha + tx)));
  return 1 / (1 + ratio);
}

/**
 * Expected transactions in the next t weeks for a customer with (x, t_x, T): equation (10) of the
 * paper. Valid for a ≠ 1 (the fitted a is a continuous estimate, never exactly 1).
 */
export function expectedPurchases(
  { r, alpha, a, b }: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  const rx = r + x;
  const z = t / (alpha + T + t);
  const hyper = hyp2f1(rx, b + x, a + b + x - 1, z);
  const numerator = 1 - Math.exp(rx * Math.log((alpha + T) / (alpha + T + t))) * hyper;
  const lead = (a + b + x - 1) / (a - 1);
  const alive = x > 0 ? 1 + (a / (b + x - 1)) * Math.exp(rx * Math.log((alpha + T) / (alpha + tx))) : 1;
  return Math.max(0, (lead * numerator) / alive);
}
