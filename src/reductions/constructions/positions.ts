// N nearly orthogonal position vectors in k = O(log N) dimensions (P1's index-lookup construction): seeded
// random ±1 signs. Inner products are computed exactly on packed bits (k − 2·popcount(a xor b)), so the
// reported maximum |⟨P_i, P_j⟩|/k over all pairs is exact, not estimated.
import { InputError } from '../../errors.js';
import { Rng } from '../../random.js';

/** N sign vectors of length k, packed 32 signs per word (bit 1 = −1). */
export interface SignVectors {
  readonly n: number;
  readonly k: number;
  readonly words: number;
  readonly bits: Uint32Array;
}

/** Seeded random sign vectors. */
export function randomSigns(n: number, k: number, seed: number): SignVectors {
  if (n < 1 || k < 1) throw new InputError(`position vectors: need n, k >= 1 (got n = ${n}, k = ${k})`);
  const rng = new Rng(seed);
  const words = Math.ceil(k / 32);
  const bits = new Uint32Array(n * words);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) if (rng.int(0, 1) === 1) bits[i * words + (j >>> 5)] |= 1 << (j & 31);
  return { n, k, words, bits };
}

/** The sign (+1 or −1) of vector i, coordinate j. */
export function sign(v: SignVectors, i: number, j: number): number {
  return (v.bits[i * v.words + (j >>> 5)] >>> (j & 31)) & 1 ? -1 : 1;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** ⟨P_i, P_j⟩ exactly (an integer in [−k, k]). */
export function inner(v: SignVectors, i: number, j: number): number {
  let diff = 0;
  for (let w = 0; w < v.words; w++) diff += popcount(v.bits[i * v.words + w] ^ v.bits[j * v.words + w]);
  return v.k - 2 * diff;
}

/** max over i ≠ j of ⟨P_i, P_j⟩ / k (the coherence; 1 if two vectors coincide). */
export function coherence(v: SignVectors): number {
  let max = -v.k;
  for (let i = 0; i < v.n; i++) for (let j = i + 1; j < v.n; j++) max = Math.max(max, inner(v, i, j));
  return v.n < 2 ? 0 : max / v.k;
}

/** The smallest k (searched by doubling then bisection, same seed) whose vectors have coherence ≤ target. */
export function smallestDimension(n: number, target: number, seed: number): { k: number; mu: number } {
  const ok = (k: number) => coherence(randomSigns(n, k, seed)) <= target;
  let hi = Math.max(1, Math.ceil(Math.log2(Math.max(n, 2))));
  while (!ok(hi)) hi *= 2;
  let lo = Math.floor(hi / 2);
  // ok is not monotone in k for one seed; bisection finds a k that works, near the smallest.
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return { k: hi, mu: coherence(randomSigns(n, hi, seed)) };
}
