/**
 * Nelder-Mead simplex minimisation (Lagarias et al. 1998 coefficients), restarted from its best
 * point until a restart no longer improves it: the likelihoods here are smooth, and a restart
 * guards against the simplex collapsing early, which would cost the third decimal the
 * published parameters are checked to.
 */
export interface MinimizeResult {
  x: number[];
  fx: number;
  iterations: number;
  converged: boolean;
}

export function minimize(
  f: (x: number[]) => number,
  start: number[],
  opts: { maxIterations?: number; tolerance?: number; step?: number } = {},
): MinimizeResult {
  const maxIterations = opts.maxIterations ?? 5000;
  const tolerance = opts.tolerance ?? 1e-10;
  let best = simplexRun(f, start, opts.step ?? 0.5, maxIterations, tolerance);
  let iterations = best.iterations;
  for (let restart = 0; restart < 10 && iterations < maxIterations; restart++) {
    const next = simplexRun(f, best.x, 0.05, maxIterations - iterations, tolerance);
    iterations += next.iterations;
    const improved = best.fx - next.fx > tolerance * (1 + Math.abs(best.fx));
    if (next.fx < best.fx) best = next;
    if (!improved) return { ...best, iterations, converged: next.converged };
  }
  return { ...best, iterations, converged: false };
}

function simplexRun(
  f: (x: number[]) => number,
  start: number[],
  step: number,
  maxIterations: number,
  tolerance: number,
): MinimizeResult {
  const n = start.length;
  const points: number[][] = [start.slice()];
  for (let i = 0; i < n; i++) {
    const p = start.slice();
    p[i] = p[i]! + (p[i] === 0 ? step : step * Math.max(1, Math.abs(p[i]!)));
    points.push(p);
  }
  let values = points.map(f);
  const at = (i: number) => points[i]!;

  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
    const sorted = order.map(at);
    values = order.map((i) => values[i]!);
    points.splice(0, points.length, ...sorted);

    const spread = Math.abs(values[n]! - values[0]!);
    if (spread <= tolerance * (1 + Math.abs(values[0]!))) {
      return { x: at(0), fx: values[0]!, iterations, converged: true };
    }
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) centroid[k]! += at(i)[k]! / n;
    const towards = (coef: number) => centroid.map((c, k) => c + coef * (at(n)[k]! - c));

    const reflected = towards(-1);
    const fr = f(reflected);
    if (fr < values[0]!) {
      const expanded = towards(-2);
      const fe = f(expanded);
      if (fe < fr) replaceWorst(expanded, fe);
      else replaceWorst(reflected, fr);
    } else if (fr < values[n - 1]!) {
      replaceWorst(reflected, fr);
    } else {
      const outside = fr < values[n]!;
      const contracted = towards(outside ? -0.5 : 0.5);
      const fc = f(contracted);
      if (fc < (outside ? fr : values[n]!)) {
        replaceWorst(contracted, fc);
      } else {
        // shrink every point towards the best
        for (let i = 1; i <= n; i++) {
          points[i] = at(i).map((v, k) => at(0)[k]! + 0.5 * (v - at(0)[k]!));
          values[i] = f(at(i));
        }
      }
    }
  }
  return { x: at(0), fx: values[0]!, iterations, converged: false };

  function replaceWorst(p: number[], fp: number) {
    points[n] = p;
    values[n] = fp;
  }
}

/** Rows past which a fit first runs on a sample of them to find its starting point. */
export const SAMPLE_ROWS = 20_000;

/**
 * Every k-th row of column data, for a first fit on a sample: the full data's simplex then starts
 * next to the optimum and needs a fraction of the (expensive) full evaluations.
 */
export function strideSample<T extends { [K in keyof T]: Int32Array | Float64Array }>(
  data: T,
  limit = SAMPLE_ROWS,
): T {
  const columns = Object.entries(data) as [string, Int32Array | Float64Array][];
  const first = columns[0]?.[1];
  const n = first?.length ?? 0;
  const stride = Math.ceil(n / limit);
  const out: Record<string, Int32Array | Float64Array> = {};
  for (const [key, column] of columns) {
    const sampled = new (column.constructor as new (size: number) => Int32Array | Float64Array)(
      Math.ceil(n / stride),
    );
    for (let i = 0, j = 0; i < n; i += stride, j++) sampled[j] = column[i]!;
    out[key] = sampled;
  }
  return out as unknown as T;
}
