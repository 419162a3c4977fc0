// The generic sampler of regular tasks. A class is drawn uniformly first (among the allowed classes that
// have a word in the length range), then a length uniformly among the lengths at which that class has
// words, then a word uniformly among the words of that length and class. Drawing the class first is what
// balances tasks whose positives are rare (Tomita 1 has one positive per length) or exist only at some
// lengths (Tomita 2 and Dyck at even lengths, modular arithmetic at odd ones).
//
// Uniform words come from path counting. F_t(s) = number of words of length t leading from the start to s
// is computed forward once per DFA (it does not depend on the class), then a word is drawn backwards from
// its last state: the predecessor (s', a) of s at step t has probability F_{t-1}(s') / F_t(s). Counts reach
// 120^1000, and the ones that matter can be 10^-320 of the largest in the same row (bounded-depth Dyck
// words among all words), so they are kept as natural logarithms; a row is summed in linear space relative
// to its maximum, and the states whose sums come out too small for that are redone with their own maximum.
// Self-loops are handled without iterating over them: a sink's in-degree is most of the table, and a
// rejected word spends most of its steps there.
import type { Dfa } from '../automata/dfa.js';
import { InputError, InternalError } from '../errors.js';
import type { Rng } from '../random.js';
import { checkLengthRange } from './shape.js';
import type { Example, LengthRange } from './task.js';

/** Count rows are nStates doubles each; past this many doubles in all, a request is refused. */
const MAX_COUNT_ENTRIES = 1 << 25;

/** Forward path counts of one DFA, extended on demand to longer lengths. */
class PathCounts {
  /** rows[t][s] = ln F_t(s), -Infinity where no word of length t reaches s. */
  private readonly rows: Float64Array[] = [];
  /** cum[c][t] = number of lengths t' < t at which class c has a word. */
  private readonly cum: number[][];
  /** Predecessors other than self-loops, grouped by target state (CSR layout). */
  private readonly predStart: Int32Array;
  private readonly predFrom: Int32Array;
  private readonly predSymbol: Int32Array;
  /** Self-loop symbols, grouped by state. */
  private readonly loopStart: Int32Array;
  private readonly loopSymbol: Int32Array;
  private readonly loops: Int32Array;
  private readonly logLoops: Float64Array;
  private readonly statesOfClass: Int32Array[];

  constructor(readonly dfa: Dfa) {
    const { nStates: n, nSymbols: k, table, labels } = dfa;
    const inDegree = new Int32Array(n);
    const loops = new Int32Array(n);
    for (let s = 0; s < n; s++)
      for (let a = 0; a < k; a++) {
        const t = table[s * k + a];
        if (t === s) loops[s]++;
        else inDegree[t]++;
      }
    this.predStart = new Int32Array(n + 1);
    this.loopStart = new Int32Array(n + 1);
    for (let s = 0; s < n; s++) {
      this.predStart[s + 1] = this.predStart[s] + inDegree[s];
      this.loopStart[s + 1] = this.loopStart[s] + loops[s];
    }
    this.predFrom = new Int32Array(this.predStart[n]);
    this.predSymbol = new Int32Array(this.predStart[n]);
    this.loopSymbol = new Int32Array(this.loopStart[n]);
    const predFill = this.predStart.slice(0, n);
    const loopFill = this.loopStart.slice(0, n);
    for (let s = 0; s < n; s++)
      for (let a = 0; a < k; a++) {
        const t = table[s * k + a];
        if (t === s) this.loopSymbol[loopFill[s]++] = a;
        else {
          this.predFrom[predFill[t]] = s;
          this.predSymbol[predFill[t]++] = a;
        }
      }
    this.loops = loops;
    this.logLoops = Float64Array.from(loops, (c) => (c > 0 ? Math.log(c) : -Infinity));
    const byClass: number[][] = dfa.classes.map(() => []);
    for (let s = 0; s < n; s++) byClass[labels[s]].push(s);
    this.statesOfClass = byClass.map((list) => Int32Array.from(list));
    this.cum = dfa.classes.map(() => [0]);
    const row0 = new Float64Array(n).fill(-Infinity);
    row0[dfa.start] = 0;
    this.pushRow(row0);
  }

  /** Number of lengths computed so far (rows 0 .. length-1). */
  get length(): number {
    return this.rows.length;
  }

  /** Computes rows up to and including length `max`. */
  extend(max: number): void {
    const n = this.dfa.nStates;
    const { predStart, predFrom, loops } = this;
    const lin = new Float64Array(n);
    while (this.rows.length <= max) {
      const prev = this.rows[this.rows.length - 1];
      // Fast path: sum in linear space relative to the row maximum (n exps per row instead of n·k).
      // A complete DFA has words of every length, so the maximum is finite.
      let top = -Infinity;
      for (let s = 0; s < n; s++) if (prev[s] > top) top = prev[s];
      for (let s = 0; s < n; s++) lin[s] = Math.exp(prev[s] - top);
      const row = new Float64Array(n);
      for (let s = 0; s < n; s++) {
        let sum = loops[s] * lin[s];
        for (let j = predStart[s]; j < predStart[s + 1]; j++) sum += lin[predFrom[j]];
        // Below this the terms may have lost precision (subnormals) or vanished: redo the state exactly.
        row[s] = sum >= 1e-290 ? top + Math.log(sum) : this.logSumExp(prev, s);
      }
      this.pushRow(row);
    }
  }

  /** ln F_t(s) from row t-1, with the maximum taken over the state's own predecessors. */
  private logSumExp(prev: Float64Array, s: number): number {
    const { predStart, predFrom } = this;
    const self = prev[s] + this.logLoops[s];
    let m = self;
    for (let j = predStart[s]; j < predStart[s + 1]; j++) if (prev[predFrom[j]] > m) m = prev[predFrom[j]];
    if (m === -Infinity) return -Infinity;
    let sum = Math.exp(self - m);
    for (let j = predStart[s]; j < predStart[s + 1]; j++) sum += Math.exp(prev[predFrom[j]] - m);
    return m + Math.log(sum);
  }

  private pushRow(row: Float64Array): void {
    const t = this.rows.length;
    this.rows.push(row);
    for (let c = 0; c < this.statesOfClass.length; c++) {
      const has = this.statesOfClass[c].some((s) => row[s] > -Infinity);
      this.cum[c].push(this.cum[c][t] + (has ? 1 : 0));
    }
  }

  /** How many lengths in [min, max] have a word of class c (rows must reach max). */
  lengthsWith(c: number, min: number, max: number): number {
    return this.cum[c][max + 1] - this.cum[c][min];
  }

  /** The j-th (from 0) length in [min, max] at which class c has a word. */
  nthLength(c: number, min: number, max: number, j: number): number {
    const cum = this.cum[c];
    let lo = min;
    let hi = max;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid + 1] - cum[min] > j) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** A uniformly random word of length `length` whose state has class c (which must have one). */
  word(rng: Rng, c: number, length: number): number[] {
    const { rows, predStart, predFrom, predSymbol, loopStart, loopSymbol } = this;
    const last = rows[length];
    const candidates = this.statesOfClass[c];
    let top = -Infinity;
    for (const s of candidates) if (last[s] > top) top = last[s];
    const weights = new Float64Array(candidates.length);
    for (let i = 0; i < candidates.length; i++) weights[i] = Math.exp(last[candidates[i]] - top);
    let s = candidates[pickWeighted(rng, weights)];
    const word = new Array<number>(length);
    for (let t = length; t >= 1; t--) {
      const prev = rows[t - 1];
      const total = rows[t][s];
      let u = rng.float();
      const nLoops = loopStart[s + 1] - loopStart[s];
      const pLoop = nLoops * Math.exp(prev[s] - total);
      if (u < pLoop) {
        word[t - 1] = loopSymbol[loopStart[s] + Math.min(nLoops - 1, Math.floor((u / pLoop) * nLoops))];
        continue;
      }
      u -= pLoop;
      let chosen = -1;
      for (let j = predStart[s]; j < predStart[s + 1]; j++) {
        const w = Math.exp(prev[predFrom[j]] - total);
        if (w > 0) {
          chosen = j;
          u -= w;
          if (u < 0) break;
        }
      }
      if (chosen >= 0) {
        word[t - 1] = predSymbol[chosen];
        s = predFrom[chosen];
      } else if (pLoop > 0) {
        // Rounding left u just above the loop mass and no other predecessor counts.
        word[t - 1] = loopSymbol[loopStart[s]];
      } else {
        throw new InternalError(`sampler: state ${s} has no predecessor at step ${t}`);
      }
    }
    if (s !== this.dfa.start) throw new InternalError(`sampler: backward walk ended in state ${s}, not the start`);
    return word;
  }
}

/** Index drawn with probability proportional to its weight (non-negative, not all zero). */
function pickWeighted(rng: Rng, weights: Float64Array): number {
  let total = 0;
  for (const w of weights) total += w;
  let u = rng.float() * total;
  let chosen = -1;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] > 0) {
      chosen = i;
      u -= weights[i];
      if (u < 0) break;
    }
  }
  if (chosen < 0) throw new InternalError('sampler: all weights are zero');
  return chosen;
}

const countsCache = new WeakMap<Dfa, PathCounts>();

function countsOf(dfa: Dfa): PathCounts {
  let counts = countsCache.get(dfa);
  if (counts === undefined) {
    counts = new PathCounts(dfa);
    countsCache.set(dfa, counts);
  }
  return counts;
}

/** Options of sampleFromDfa. */
export interface DfaSampleOptions {
  /** Task name for error messages. */
  readonly task: string;
  /** The classes to draw from (default: all); e.g. modular arithmetic leaves out 'invalid'. */
  readonly classes?: readonly number[];
}

/** A uniform class, then a uniform length where it has words, then a uniform word; InputError if none. */
export function sampleFromDfa(dfa: Dfa, rng: Rng, lengths: LengthRange, options: DfaSampleOptions): Example {
  const { task } = options;
  checkLengthRange(task, lengths);
  const { min, max } = lengths;
  if ((max + 1) * dfa.nStates > MAX_COUNT_ENTRIES)
    throw new InputError(
      `task '${task}': lengths up to ${max} need path counts for ${dfa.nStates} states × ${max + 1} lengths, more than the cap of ${MAX_COUNT_ENTRIES}; ask for shorter words`,
    );
  const counts = countsOf(dfa);
  counts.extend(max);
  const allowed = options.classes ?? dfa.classes.map((_, c) => c);
  for (const c of allowed)
    if (!Number.isInteger(c) || c < 0 || c >= dfa.classes.length)
      throw new InputError(`task '${task}': class ${c} is not a class index in [0, ${dfa.classes.length})`);
  const candidates = allowed.filter((c) => counts.lengthsWith(c, min, max) > 0);
  if (candidates.length === 0) {
    const names = allowed.map((c) => dfa.classes[c]).join(', ');
    throw new InputError(`task '${task}': no word of length in [${min}, ${max}] has a class among ${names}`);
  }
  const label = rng.pick(candidates);
  const length = counts.nthLength(label, min, max, rng.int(0, counts.lengthsWith(label, min, max) - 1));
  return { word: counts.word(rng, label, length), label };
}
