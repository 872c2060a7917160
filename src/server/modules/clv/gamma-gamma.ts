import { type MaximumLikelihoodFit, maximiseLikelihood } from './maximum-likelihood.js';
import { logGamma } from './special-functions.js';

/**
 * The Gamma-Gamma model of spend per transaction (Fader and Hardie, "The Gamma-Gamma Model of
 * Monetary Value", 2013): a customer's transaction values are Gamma(p, ν) around their own mean,
 * and ν ~ Gamma(q, γ) across customers. Fitted on customers with at least one repeat transaction,
 * from x (repeat transactions) and m (their average value).
 */
export type GammaGammaParams = {
  p: number;
  q: number;
  gamma: number;
};

export type GammaGammaData = {
  x: Int32Array;
  m: Float64Array;
  weight: Float64Array;
};

export function gammaGammaLogLikelihood({ p, q, gamma }: GammaGammaParams, data: GammaGammaData): number {
  const base = -logGamma(q) + q * Math.log(gamma);
  let sum = 0;
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i]!;
    const m = data.m[i]!;
    const px = p * x;
    const ll =
      base +
      logGamma(px + q) -
      logGamma(px) +
      (px - 1) * Math.log(m) +
      px * Math.log(x) -
      (px + q) * Math.log(gamma + m * x);
    sum += data.weight[i]! * ll;
  }
  return sum;
}

export type GammaGammaFit = MaximumLikelihoodFit<GammaGammaParams>;

/** Maximum-likelihood fit of p, q and γ. */
export function fitGammaGamma(data: GammaGammaData): GammaGammaFit {
  return maximiseLikelihood<GammaGammaParams, GammaGammaData>(
    ['p', 'q', 'gamma'],
    gammaGammaLogLikelihood,
    data,
  );
}

/**
 * Expected average spend per transaction for a customer with x repeat transactions averaging m:
 * a weighted mean of the population mean (γp/(q−1)) and their own. Customers without a repeat
 * transaction get the population mean. Null when q ≤ 1 (the population mean does not exist).
 */
export function expectedOrderValue({ p, q, gamma }: GammaGammaParams, x: number, m: number): number | null {
  if (q <= 1) return null;
  if (x === 0 || !(m > 0)) return (gamma * p) / (q - 1);
  return ((gamma + m * x) * p) / (p * x + q - 1);
}
