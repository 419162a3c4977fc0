// Partition extraction, the baseline every extraction paper compares against (Omlin & Giles 1996;
// k-means as in Wang et al. 2018): map the network's float hidden states to finitely many cells, either a
// grid of q intervals per dimension (quantisation) or the clusters of k-means over sampled states, then
// explore breadth-first from the empty word: a cell's successor on a symbol is the cell of the first word
// found in it extended by the symbol, its class the network's class on that word. The result is
// minimised. The hidden states are what Network.features exposes: the final normalised residual stream
// at the last position (for the LRNNs trained here it carries the state; for a model whose stream is only
// its readout, cells merge states). Nothing guarantees it matches the network beyond the words explored; agreement on random
// words says how far it does.
import * as tf from '@tensorflow/tfjs';
import { match } from 'ts-pattern';
import { Dfa } from '../automata/dfa.js';
import { minimise } from '../automata/minimise.js';
import { InputError, TooManyStatesError } from '../errors.js';
import type { Word } from '../machine.js';
import type { Network } from '../models/network.js';
import type { Rng } from '../random.js';
import { type Clustering, kMeans, nearest } from './kmeans.js';
import { randomWord } from './pac-oracle.js';

/** How hidden states become cells. */
export type Partitioning = { kind: 'kmeans'; clusters: number } | { kind: 'quantise'; intervals: number };

/** Options of partition extraction. */
export interface PartitionOptions {
  partitioning: Partitioning;
  /** Random words whose hidden states fit the partition (k-means centres, grid ranges). */
  sampleWords: number;
  sampleMaxLength: number;
  /** Cap on cells explored. */
  maxStates: number;
  /** The class of the empty word, which the network never sees. */
  emptyWordClass: number;
}

/** The extracted automaton and what exploration saw. */
export interface PartitionExtraction {
  dfa: Dfa;
  /** Cells reached during exploration (before minimisation), the empty-word state included. */
  cells: number;
  seconds: number;
}

/** Hidden features at the last position and the class of each word of one length. */
function runBatch(network: Network, words: readonly Word[]): { features: Float32Array; classes: Int32Array; width: number } {
  const t = words[0].length;
  return tf.tidy(() => {
    const tokens = tf.tensor2d(words.flatMap((w) => [...w]), [words.length, t], 'int32');
    const width = network.config.width;
    const all = network.features(tokens);
    const last = all.slice([0, t - 1, 0], [words.length, 1, width]).reshape([words.length, width]);
    const logits = network.logits(tokens);
    const perWord = network.config.output === 'every' ? logits.slice([0, t - 1, 0], [words.length, 1, -1]).reshape([words.length, -1]) : logits;
    return { features: last.dataSync() as Float32Array, classes: Int32Array.from(perWord.argMax(1).dataSync()), width };
  });
}

/** Groups words by length so every batch is rectangular. */
function byLength(words: readonly Word[]): Word[][] {
  const groups = new Map<number, Word[]>();
  for (const w of words) {
    const g = groups.get(w.length) ?? [];
    g.push(w);
    groups.set(w.length, g);
  }
  return [...groups.values()];
}

interface Cells {
  cellOf(features: Float32Array, offset: number): string;
}

function fitCells(network: Network, rng: Rng, options: PartitionOptions, k: number): Cells {
  const samples: Word[] = [];
  for (let i = 0; i < options.sampleWords; i++) samples.push(randomWord(rng, k, 1, Math.max(1, options.sampleMaxLength)));
  // Every prefix's state counts: the states of short words are the ones exploration meets first.
  const prefixes: Word[] = [];
  for (const w of samples) for (let n = 1; n <= w.length; n++) prefixes.push(w.slice(0, n));
  const width = network.config.width;
  const points: number[] = [];
  for (const group of byLength(prefixes)) points.push(...runBatch(network, group).features);
  const data = Float32Array.from(points);
  return match(options.partitioning)
    .with({ kind: 'kmeans' }, ({ clusters }) => {
      const c: Clustering = kMeans(data, width, clusters, rng);
      return { cellOf: (f: Float32Array, off: number) => `k${nearest(c, f, off)}` };
    })
    .with({ kind: 'quantise' }, ({ intervals }) => {
      const lo = new Float64Array(width).fill(Infinity);
      const hi = new Float64Array(width).fill(-Infinity);
      for (let i = 0; i < data.length; i++) {
        lo[i % width] = Math.min(lo[i % width], data[i]);
        hi[i % width] = Math.max(hi[i % width], data[i]);
      }
      return {
        cellOf(f: Float32Array, off: number): string {
          const bins: number[] = [];
          for (let j = 0; j < width; j++) {
            const span = hi[j] - lo[j];
            const x = span > 0 ? Math.floor(((f[off + j] - lo[j]) / span) * intervals) : 0;
            bins.push(Math.max(0, Math.min(intervals - 1, x)));
          }
          return bins.join(',');
        },
      };
    })
    .exhaustive();
}

/** Extracts an automaton from a float network by partitioning its hidden states and exploring. */
export function partitionExtraction(network: Network, alphabet: readonly string[], classes: readonly string[], rng: Rng, options: PartitionOptions): PartitionExtraction {
  const started = performance.now();
  const k = alphabet.length;
  if (options.sampleWords < 1) throw new InputError('partition extraction: needs at least one sample word');
  const cells = fitCells(network, rng, options, k);
  // State 0 is the empty word; every other state is a cell, reached first by access[state].
  const access: Word[] = [[]];
  const labels: number[] = [options.emptyWordClass];
  const stateOfCell = new Map<string, number>();
  const table: number[] = [];
  let layer = [0];
  while (layer.length > 0) {
    const words = layer.flatMap((q) => Array.from({ length: k }, (_, a) => [...access[q], a]));
    const { features, classes: cls, width } = runBatch(network, words);
    const next: number[] = [];
    words.forEach((word, i) => {
      const cell = cells.cellOf(features, i * width);
      let target = stateOfCell.get(cell);
      if (target === undefined) {
        target = access.length;
        if (target >= options.maxStates) throw new TooManyStatesError('partition extraction', options.maxStates);
        stateOfCell.set(cell, target);
        access.push(word);
        labels.push(cls[i]);
        next.push(target);
      }
      table[layer[Math.floor(i / k)] * k + (i % k)] = target;
    });
    layer = next;
  }
  const raw = new Dfa({ alphabet, classes, table, labels });
  return { dfa: minimise(raw), cells: access.length, seconds: (performance.now() - started) / 1000 };
}
