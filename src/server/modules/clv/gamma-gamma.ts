import { minimize, SAMPLE_ROWS, strideSample } from './nelder-mead.js';
import { logGamma } from './special-functions.js';

/**
 * The Gamma-Gamma model of spend per transaction (Fader and Hardie, "The Gamma-Gamma Model of
 * Monetary Value", 2013): a customer's transaction values are Gamma(p, ν) around their own mean,
 * and ν ~ Gamma(q, γ) across customers. Fitted on customers with at least one repeat transaction,
 * from x (repeat transactions) and m (their average value).
 */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface GammaGammaData {
  x: Int32Array;
  m: Float64Array;
  weight: Float64Array;
}

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

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

export function fitGammaGamma(data: GammaGammaData): GammaGammaFit {
  let total = 0;
  for (const w of data.weight) total += w;
  const toParams = (v: number[]): GammaGammaParams => ({
    p: Math.exp(v[0]!),
    q: Math.exp(v[1]!),
    gamma: Math.exp(v[2]!),
  });
  const objective = (v: number[]) => {
    if (v.some((k) => Math.abs(k) > 30)) return Number.POSITIVE_INFINITY;
    const ll = gammaGammaLogLikelihood(toParams(v), data);
    return Number.isFinite(ll) ? -ll / total : Number.POSITIVE_INFINITY;
  };
  const start =
    data.x.length > SAMPLE_ROWS
      ? (({ p, q, gamma }) => [p, q, gamma].map(Math.log))(fitGammaGamma(strideSample(data)).params)
      : [0, 0, 0];
  const result = minimize(objective, start, {
    tolerance: 1e-12,
    step: data.x.length > SAMPLE_ROWS ? 0.1 : 0.5,
  });
  const params = toParams(result.x);
  return {
    params,
    logLikelihood: gammaGammaLogLikelihood(params, data),
    iterations: result.iterations,
    converged: result.converged,
  };
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
