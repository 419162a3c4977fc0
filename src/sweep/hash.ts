// A cell's identity is the hash of its configuration: canonical JSON (keys sorted, by safe-stable-stringify)
// through SHA-256, cut to 16 hex digits. Equal configurations share a result file whatever grid they came
// from, and any change to a setting (or to CELL_VERSION) gives a new cell.
import { createHash } from 'node:crypto';
import safeStableStringify from 'safe-stable-stringify';
import type { CellConfig } from './types.js';

// strict: NaN, Infinity and functions are refused rather than silently written as null.
const stringify = safeStableStringify.configure({ deterministic: true, strict: true });

/** Canonical JSON of a value: object keys sorted at every level, no whitespace. */
export function canonicalJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('canonicalJson: value has no JSON form');
  return text;
}

/** The cell's id: 16 hex digits of SHA-256 over its canonical JSON. */
export function cellId(config: CellConfig): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 16);
}
