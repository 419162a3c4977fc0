// L* (Angluin 1987) with an observation table whose short prefixes S have pairwise distinct rows, so the
// table is always consistent and only closedness needs checking (Rivest & Schapire's formulation).
// Counterexamples are processed either the Rivest–Schapire way (one suffix found by binary search, the
// default) or Maler–Pnueli's (every suffix of the counterexample joins E), the classic baseline.
// Rows are Moore outputs: each cell is a class, so multi-class systems learn like binary ones.
import { Dfa } from '../automata/dfa.js';
import { InternalError } from '../errors.js';
import type { Word } from '../machine.js';
import { rivestSchapire } from './counterexample.js';
import type { Learner, MembershipOracle } from './oracle.js';

/** How L* turns a counterexample into new suffixes. */
export type LStarCounterexamples = 'rivest-schapire' | 'all-suffixes';

/** Angluin's L* over an observation table with distinct short-prefix rows. */
export class LStar implements Learner {
  readonly name: string;
  private readonly k: number;
  private readonly suffixes: Word[] = [[]];
  private readonly suffixKeys = new Set<string>(['']);
  /** Access word and row of each state (= each short prefix). */
  private readonly access: Word[] = [];
  private readonly rows: number[][] = [];
  /** Row of access[q]·a at q * k + a. */
  private readonly successorRows: number[][] = [];
  private readonly stateOfRow = new Map<string, number>();
  private current: Dfa | undefined;

  constructor(
    private readonly oracle: MembershipOracle,
    private readonly processing: LStarCounterexamples = 'rivest-schapire',
  ) {
    this.k = oracle.alphabet.length;
    this.name = processing === 'rivest-schapire' ? 'L* (Rivest–Schapire)' : 'L* (Maler–Pnueli, all suffixes)';
  }

  /** Number of distinguishing suffixes in the table (E, the empty word included). */
  get suffixCount(): number {
    return this.suffixes.length;
  }

  hypothesis(): Dfa {
    if (this.access.length === 0) {
      this.addState([], this.rowOf([]));
      this.close();
    }
    this.current ??= this.build();
    return this.current;
  }

  refine(counterexample: Word): void {
    const hyp = this.hypothesis();
    if (this.processing === 'rivest-schapire') {
      const d = rivestSchapire(hyp, (q) => this.access[q], this.oracle, counterexample);
      this.addSuffixes([d.suffix]);
    } else {
      const all: Word[] = [];
      for (let i = 0; i <= counterexample.length; i++) all.push(counterexample.slice(i));
      this.addSuffixes(all);
    }
    this.close();
    this.current = undefined;
  }

  private rowOf(prefix: Word): number[] {
    return this.suffixes.map((e) => this.oracle.query(prefix.concat(e)));
  }

  private addState(access: Word, row: number[]): void {
    const q = this.access.length;
    this.access.push(access);
    this.rows.push(row);
    this.stateOfRow.set(row.join(','), q);
    for (let a = 0; a < this.k; a++) this.successorRows[q * this.k + a] = this.rowOf([...access, a]);
  }

  private addSuffixes(candidates: readonly Word[]): void {
    const fresh = candidates.filter((e) => {
      const key = e.join(',');
      if (this.suffixKeys.has(key)) return false;
      this.suffixKeys.add(key);
      return true;
    });
    for (const e of fresh) {
      this.suffixes.push(e);
      for (let q = 0; q < this.access.length; q++) {
        this.rows[q].push(this.oracle.query(this.access[q].concat(e)));
        for (let a = 0; a < this.k; a++)
          this.successorRows[q * this.k + a].push(this.oracle.query(this.access[q].concat([a], e)));
      }
    }
    // Short-prefix rows were distinct and only grew, so they stay distinct; only the keys change.
    this.stateOfRow.clear();
    this.rows.forEach((row, q) => this.stateOfRow.set(row.join(','), q));
  }

  /** Promotes every successor row that matches no state to a new state, until the table is closed. */
  private close(): void {
    for (let slot = 0; slot < this.successorRows.length; slot++) {
      const row = this.successorRows[slot];
      if (!this.stateOfRow.has(row.join(','))) {
        const q = Math.floor(slot / this.k);
        // A copy: the state's row and the successor row grow separately when suffixes are added.
        this.addState([...this.access[q], slot % this.k], row.slice());
      }
    }
  }

  private build(): Dfa {
    const n = this.access.length;
    const table = new Int32Array(n * this.k);
    for (let slot = 0; slot < table.length; slot++) {
      const target = this.stateOfRow.get(this.successorRows[slot].join(','));
      if (target === undefined) throw new InternalError('L*: hypothesis built from a table that is not closed');
      table[slot] = target;
    }
    const labels = this.rows.map((row) => row[0]);
    return new Dfa({ alphabet: this.oracle.alphabet, classes: this.oracle.classes, table, labels });
  }
}
