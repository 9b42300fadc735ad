/**
 * Deterministic randomness keyed by what it is for, not by call order: the value for (seed, tick, "noise")
 * is the same whichever poll reads it first, so history never changes when observed at a different time.
 */
export function keyedRandom(seed: number, ...keys: (string | number)[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const key of keys) {
    const text = String(key);
    for (let i = 0; i < text.length; i++) {
      h = Math.imul(h ^ text.charCodeAt(i), 0x85ebca6b) >>> 0;
      h = (h ^ (h >>> 13)) >>> 0;
    }
    h = Math.imul(h ^ 0x27d4eb2f, 0xc2b2ae35) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

/** Approximately normal (mean 0, sd 1) from four keyed uniforms. */
export function keyedGaussian(seed: number, ...keys: (string | number)[]): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += keyedRandom(seed, ...keys, i);
  return (sum - 2) * Math.sqrt(3);
}

/** Picks `count` items, deterministically for a seed and a purpose. */
export function keyedSample<T>(items: readonly T[], count: number, seed: number, purpose: string): T[] {
  return items
    .map((item, i) => ({ item, key: keyedRandom(seed, purpose, i) }))
    .sort((a, b) => a.key - b.key)
    .slice(0, count)
    .map((x) => x.item);
}

/**
 * A Poisson count with this mean, keyed: the number of requests (or errors) that arrive in a tick. Exact by
 * inversion for small means, normal beyond (where the two differ by less than the count's own noise).
 */
export function keyedPoisson(mean: number, seed: number, ...keys: (string | number)[]): number {
  if (!(mean > 0)) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * keyedGaussian(seed, ...keys)));
  const u = keyedRandom(seed, ...keys);
  let k = 0;
  let p = Math.exp(-mean);
  let cumulative = p;
  while (u > cumulative && k < 1000) {
    k += 1;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

/**
 * How many of `n` requests fail when each fails with probability `p`, keyed: a binomial count, drawn as a Poisson
 * count of the rarer outcome (exact enough when it is rare), or normal when both outcomes are common.
 */
export function keyedBinomial(n: number, p: number, seed: number, ...keys: (string | number)[]): number {
  const trials = Math.max(0, Math.round(n));
  const q = Math.min(1, Math.max(0, p));
  if (trials === 0 || q === 0) return 0;
  if (q === 1) return trials;
  const mean = trials * q;
  const rest = trials - mean;
  if (mean > 30 && rest > 30)
    return Math.min(trials, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - q)) * keyedGaussian(seed, ...keys))));
  if (mean <= rest) return Math.min(trials, keyedPoisson(mean, seed, ...keys));
  return trials - Math.min(trials, keyedPoisson(rest, seed, ...keys));
}
