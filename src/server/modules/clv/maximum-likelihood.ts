import { minimize, SAMPLE_ROWS, strideSample } from './nelder-mead.js';

/** Customer data as typed columns, one row per (grouped) customer, with a weight column. */
type Columns = { [K: string]: Int32Array | Float64Array } & { weight: Float64Array };

export interface MaximumLikelihoodFit<P> {
  params: P;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

/**
 * Maximum-likelihood estimates of positive parameters (named in `names`), searched on the log
 * scale so they stay positive, minimising the mean negative log-likelihood per customer. A large
 * data set first fits a stride sample of itself and starts from there, so the full data is
 * evaluated far fewer times.
 */
export function maximiseLikelihood<P extends Record<string, number>, D extends Columns>(
  names: readonly (keyof P & string)[],
  logLikelihood: (params: P, data: D) => number,
  data: D,
): MaximumLikelihoodFit<P> {
  let total = 0;
  for (const w of data.weight) total += w;
  const toParams = (v: number[]) => Object.fromEntries(names.map((name, i) => [name, Math.exp(v[i]!)])) as P;
  const objective = (v: number[]) => {
    if (v.some((k) => Math.abs(k) > 30)) return Number.POSITIVE_INFINITY;
    const ll = logLikelihood(toParams(v), data);
    return Number.isFinite(ll) ? -ll / total : Number.POSITIVE_INFINITY;
  };
  const large = data.weight.length > SAMPLE_ROWS;
  const start = large
    ? names.map((name) =>
        Math.log(maximiseLikelihood(names, logLikelihood, strideSample(data)).params[name]!),
      )
    : names.map(() => 0);
  const result = minimize(objective, start, { tolerance: 1e-12, step: large ? 0.1 : 0.5 });
  const params = toParams(result.x);
  return {
    params,
    logLikelihood: logLikelihood(params, data),
    iterations: result.iterations,
    converged: result.converged,
  };
}
