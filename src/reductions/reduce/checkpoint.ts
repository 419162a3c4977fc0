// The checkpoint-level reduction: a checkpoint at a format becomes the exact machine of src/precision,
// and the collision search runs on the part of its state the next step reads (rule 6 of
// precision/machine.ts: the mixer state; the last symbol only feeds the readout of the current position).
import type { Checkpoint } from '../../models/checkpoint.js';
import type { NumberFormat } from '../../precision/format.js';
import { checkpointMachine, type ExactState } from '../../precision/machine.js';
import type { Machine } from '../../machine.js';
import type { TwoPartyFunction } from '../cc/twoparty.js';
import { findCollision, type CollisionSearch } from './collision.js';

/** The key of a checkpoint state without its last symbol: what Bob's first step continues from. */
export function mixerStateKey(machine: Machine<ExactState>, state: ExactState): string {
  const key = String(machine.key(state));
  // A transformer keys its whole prefix: keep it whole (it never collides on distinct prefixes).
  if (state.values.length === 0) return key;
  return key.slice(key.indexOf(',') + 1);
}

/** The collision search on a checkpoint at a format, with the model's state width in bits. */
export function checkpointCollision(
  ckpt: Checkpoint,
  format: NumberFormat,
  f: TwoPartyFunction,
): CollisionSearch & { stateValues: number; stateBits: number | null } {
  const machine = checkpointMachine(ckpt, format);
  // Bob needs at least one symbol for the mixer-state key to be all he sees.
  const keyOf = f.cols > 0 && f.bobWord(0).length > 0 ? mixerStateKey : (m: Machine<ExactState>, s: ExactState) => String(m.key(s));
  const search = findCollision(machine, f, keyOf);
  const stateValues = machine.initial().values.length;
  return { ...search, stateValues, stateBits: ckpt.config.family === 'transformer' ? null : stateValues * format.bits };
}
