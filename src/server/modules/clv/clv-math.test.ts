import { describe, expect, it } from 'vitest';
import {
  type BgNbdData,
  bgnbdLogLikelihood,
  expectedPurchases,
  fitBgNbd,
  probabilityAlive,
} from './bgnbd.js';
import { expectedOrderValue, fitGammaGamma } from './gamma-gamma.js';
import { minimize } from './nelder-mead.js';
import { hyp2f1, logGamma } from './special-functions.js';

/** The model's mathematics alone: special functions, the optimiser, and recovery of known parameters. */

describe('special functions', () => {
  it('ln Γ matches known values', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(2)).toBeCloseTo(0, 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 10);
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 10);
    expect(logGamma(100)).toBeCloseTo(359.1342053695754, 8);
  });

  it('₂F₁ matches its closed forms', () => {
    // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z
    for (const z of [0.1, 0.5, 0.9]) expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 10);
    // ₂F₁(a, b; b; z) = (1 − z)^−a
    expect(hyp2f1(2.5, 3, 3, 0.7)).toBeCloseTo((1 - 0.7) ** -2.5, 8);
    expect(hyp2f1(1, 2, 3, 0)).toBe(1);
  });
});

describe('Nelder-Mead', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const result = minimize(([x, y]) => (1 - x!) ** 2 + 100 * (y! - x! * x!) ** 2, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 4);
    expect(result.x[1]).toBeCloseTo(1, 4);
  });
});

/** A seeded generator (mulberry32) so the simulated customers are the same on every run. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gamma(shape, 1) by Marsaglia and Tsang, boosted for shape < 1. */
function gammaSample(shape: number, rand: () => number): number {
  if (shape < 1) return gammaSample(shape + 1, rand) * rand() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      // a standard normal by Box-Muller
      x = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rand();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Customers drawn from the BG/NBD story itself, each observed for T weeks after a first purchase. */
function simulate(
  params: { r: number; alpha: number; a: number; b: number },
  customers: number,
  seed: number,
) {
  const rand = random(seed);
  const data: BgNbdData = {
    x: new Int32Array(customers),
    tx: new Float64Array(customers),
    T: new Float64Array(customers),
    weight: new Float64Array(customers).fill(1),
  };
  for (let i = 0; i < customers; i++) {
    const lambda = gammaSample(params.r, rand) / params.alpha;
    const ga = gammaSample(params.a, rand);
    const p = ga / (ga + gammaSample(params.b, rand));
    const T = 20 + 32 * rand();
    let t = 0;
    let x = 0;
    let last = 0;
    for (;;) {
      t += -Math.log(1 - rand()) / lambda;
      if (t > T) break;
      x += 1;
      last = t;
      if (rand() < p) break; // became inactive after this purchase
    }
    data.x[i] = x;
    data.tx[i] = last;
    data.T[i] = T;
  }
  return data;
}

describe('BG/NBD', () => {
  const truth = { r: 0.6, alpha: 5, a: 0.9, b: 3 };
  const data = simulate(truth, 30_000, 7); // past SAMPLE_ROWS: the fit starts from a sample's

  it('recovers the parameters of simulated customers', () => {
    const fit = fitBgNbd(data);
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.params.r / truth.r - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.params.alpha / truth.alpha - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.params.a / truth.a - 1)).toBeLessThan(0.25);
    expect(Math.abs(fit.params.b / truth.b - 1)).toBeLessThan(0.3);
    // the maximum: the true parameters are no more likely than the fitted ones
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgnbdLogLikelihood(truth, data));
  });

  it('a weight counts as that many identical customers', () => {
    const one: BgNbdData = {
      x: Int32Array.of(3),
      tx: Float64Array.of(10),
      T: Float64Array.of(30),
      weight: Float64Array.of(2),
    };
    const two: BgNbdData = {
      x: Int32Array.of(3, 3),
      tx: Float64Array.of(10, 10),
      T: Float64Array.of(30, 30),
      weight: Float64Array.of(1, 1),
    };
    expect(bgnbdLogLikelihood(truth, one)).toBeCloseTo(bgnbdLogLikelihood(truth, two), 10);
  });

  it('P(alive) is 1 without a repeat purchase and falls with time since the last', () => {
    expect(probabilityAlive(truth, 0, 0, 40)).toBe(1);
    const recent = probabilityAlive(truth, 4, 38, 40);
    const long = probabilityAlive(truth, 4, 10, 40);
    expect(recent).toBeGreaterThan(long);
    expect(long).toBeGreaterThan(0);
    expect(recent).toBeLessThan(1);
  });

  it('expected purchases grow with the horizon and with past frequency', () => {
    expect(expectedPurchases(truth, 0, 2, 20, 30)).toBeCloseTo(0, 12);
    expect(expectedPurchases(truth, 52, 2, 20, 30)).toBeGreaterThan(expectedPurchases(truth, 13, 2, 20, 30));
    expect(expectedPurchases(truth, 52, 8, 29, 30)).toBeGreaterThan(expectedPurchases(truth, 52, 2, 29, 30));
  });
});

describe('Gamma-Gamma', () => {
  it('recovers p, q and γ from simulated spend', () => {
    const truth = { p: 6, q: 4, gamma: 15 };
    const rand = random(11);
    const n = 5000;
    const data = { x: new Int32Array(n), m: new Float64Array(n), weight: new Float64Array(n).fill(1) };
    for (let i = 0; i < n; i++) {
      const nu = gammaSample(truth.q, rand) / truth.gamma;
      const x = 1 + Math.floor(rand() * 6);
      let total = 0;
      for (let k = 0; k < x; k++) total += gammaSample(truth.p, rand) / nu;
      data.x[i] = x;
      data.m[i] = total / x;
    }
    const fit = fitGammaGamma(data);
    expect(fit.converged).toBe(true);
    // the mean spend γp/(q − 1) is what the model is used for: recovered closely
    const mean = (p: { p: number; q: number; gamma: number }) => (p.gamma * p.p) / (p.q - 1);
    expect(Math.abs(mean(fit.params) / mean(truth) - 1)).toBeLessThan(0.05);
    expect(Math.abs(fit.params.p / truth.p - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.params.q / truth.q - 1)).toBeLessThan(0.25);
  });

  it('shrinks a customer’s own average towards the population mean, less with more purchases', () => {
    const params = { p: 6, q: 4, gamma: 15 };
    const population = expectedOrderValue(params, 0, 0)!;
    expect(population).toBeCloseTo(30, 10);
    const once = expectedOrderValue(params, 1, 100)!;
    const often = expectedOrderValue(params, 20, 100)!;
    expect(once).toBeGreaterThan(population);
    expect(often).toBeGreaterThan(once);
    expect(often).toBeLessThan(100);
    expect(expectedOrderValue({ p: 1, q: 0.8, gamma: 1 }, 2, 10)).toBeNull();
  });
});
