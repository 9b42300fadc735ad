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
