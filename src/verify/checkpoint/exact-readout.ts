// What the lasso search needs of an exact executor's states: equality, and the class with its margin.
// Shared by the search at a format (all-lengths.ts) and the fp32 candidates of the real route.
import { argmax } from '../../precision/exec/network.js';
import type { CheckpointMachine, ExactState } from '../../precision/machine.js';

/** True when two exact states are the same (same last symbol, same stored values). */
export function sameExactState(a: ExactState, b: ExactState): boolean {
  if (a.symbol !== b.symbol) return false;
  const x = a.values;
  const y = b.values;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** A state's class (the executor's argmax) and the gap between its two largest logits, from one readout. */
export function readoutOf(machine: CheckpointMachine): (s: ExactState) => { cls: number; margin: number } {
  return (s) => {
    const l = machine.logits(s);
    let best = -Infinity;
    let second = -Infinity;
    for (const v of l) {
      if (v > best) {
        second = best;
        best = v;
      } else if (v > second) second = v;
    }
    return { cls: argmax(l), margin: best - second };
  };
}
