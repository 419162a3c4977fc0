// k-means (Lloyd's iterations from a seeded k-means++ start) over float hidden states: the clustering
// half of the partition-extraction baseline. Points are rows of one Float32Array, as the network emits them.
import { InputError } from '../errors.js';
import type { Rng } from '../random.js';

/** k centroids of dimension dim, row-major. */
export interface Clustering {
  readonly k: number;
  readonly dim: number;
  readonly centroids: Float64Array;
}

function distance2(points: Float32Array | Float64Array, i: number, centroids: Float64Array, c: number, dim: number): number {
  let d = 0;
  for (let j = 0; j < dim; j++) {
    const x = points[i * dim + j] - centroids[c * dim + j];
    d += x * x;
  }
  return d;
}

/** The index of the centroid nearest to the point (ties to the lower index). */
export function nearest(clustering: Clustering, point: Float32Array | Float64Array, offset = 0): number {
  const { k, dim, centroids } = clustering;
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < k; c++) {
    let d = 0;
    for (let j = 0; j < dim; j++) {
      const x = point[offset + j] - centroids[c * dim + j];
      d += x * x;
    }
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** Clusters n = points.length / dim points into at most k clusters; deterministic given the Rng. */
export function kMeans(points: Float32Array, dim: number, k: number, rng: Rng, iterations = 50): Clustering {
  const n = Math.floor(points.length / dim);
  if (n === 0) throw new InputError('k-means: no points to cluster');
  const kk = Math.min(k, n);
  const centroids = new Float64Array(kk * dim);
  // k-means++: each next centre drawn with probability proportional to the squared distance.
  const first = rng.int(0, n - 1);
  for (let j = 0; j < dim; j++) centroids[j] = points[first * dim + j];
  const best = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < kk; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      best[i] = Math.min(best[i], distance2(points, i, centroids, c - 1, dim));
      total += best[i];
    }
    let pick = n - 1;
    let r = rng.float() * total;
    for (let i = 0; i < n; i++) {
      r -= best[i];
      if (r < 0) {
        pick = i;
        break;
      }
    }
    for (let j = 0; j < dim; j++) centroids[c * dim + j] = points[pick * dim + j];
  }
  const clustering: Clustering = { k: kk, dim, centroids };
  const assign = new Int32Array(n).fill(-1);
  for (let it = 0; it < iterations; it++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      const c = nearest(clustering, points, i * dim);
      if (c !== assign[i]) {
        assign[i] = c;
        moved = true;
      }
    }
    if (!moved) break;
    const sums = new Float64Array(kk * dim);
    const counts = new Int32Array(kk);
    for (let i = 0; i < n; i++) {
      counts[assign[i]]++;
      for (let j = 0; j < dim; j++) sums[assign[i] * dim + j] += points[i * dim + j];
    }
    // An emptied cluster keeps its old centre rather than collapsing onto another.
    for (let c = 0; c < kk; c++) if (counts[c] > 0) for (let j = 0; j < dim; j++) centroids[c * dim + j] = sums[c * dim + j] / counts[c];
  }
  return clustering;
}
