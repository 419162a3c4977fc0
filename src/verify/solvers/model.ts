// A native solver's (get-model) answer read back into a Z3 model of the WASM session, so that the code
// reading witnesses (model.eval on the query's own terms) is the same whichever solver answered. Only
// constants are read (bit-vectors, Booleans, integers); a function's definition is skipped, since no
// witness reads one (the `any` readout and Bob's function are implied by the states they separate).
import type { Model } from 'z3-solver';
import { InternalError } from '../../errors.js';
import type { Z3 } from '../z3/session.js';
import { readSExprs, type SExpr } from './sexpr.js';

/** The value of one constant of a model. */
export type ModelValue = { sort: 'bv'; width: number; value: bigint } | { sort: 'bool'; value: boolean } | { sort: 'int'; value: bigint };

/** A literal's value at a sort, or undefined when the literal is not one we read. */
function literal(sort: SExpr, v: SExpr): ModelValue | undefined {
  if (sort === 'Bool' && (v === 'true' || v === 'false')) return { sort: 'bool', value: v === 'true' };
  if (sort === 'Int') {
    if (typeof v === 'string' && /^\d+$/.test(v)) return { sort: 'int', value: BigInt(v) };
    if (Array.isArray(v) && v.length === 2 && v[0] === '-' && typeof v[1] === 'string' && /^\d+$/.test(v[1])) return { sort: 'int', value: -BigInt(v[1]) };
    return undefined;
  }
  if (Array.isArray(sort) && sort.length === 3 && sort[0] === '_' && sort[1] === 'BitVec' && typeof sort[2] === 'string') {
    const width = Number(sort[2]);
    if (typeof v === 'string' && v.startsWith('#b')) return { sort: 'bv', width, value: BigInt(`0b${v.slice(2)}`) };
    if (typeof v === 'string' && v.startsWith('#x')) return { sort: 'bv', width, value: BigInt(`0x${v.slice(2)}`) };
    // (_ bvN w)
    if (Array.isArray(v) && v.length === 3 && v[0] === '_' && typeof v[1] === 'string' && v[1].startsWith('bv')) return { sort: 'bv', width, value: BigInt(v[1].slice(2)) };
  }
  return undefined;
}

/**
 * The constants of a (get-model) answer: `(model (define-fun x () S v) ...)` (older z3) or
 * `((define-fun x () S v) ...)`. InternalError on a constant whose value is not a literal of its sort.
 */
export function readModel(text: string, solver: string): Map<string, ModelValue> {
  const exprs = readSExprs(text, `${solver} model`);
  if (exprs.length !== 1 || !Array.isArray(exprs[0])) throw new InternalError(`${solver} model: expected one list, got ${text.slice(0, 80)}`);
  const items = exprs[0][0] === 'model' ? exprs[0].slice(1) : exprs[0];
  const values = new Map<string, ModelValue>();
  for (const item of items) {
    if (!Array.isArray(item) || item[0] !== 'define-fun' || item.length !== 5) continue;
    const [, name, args, sort, body] = item;
    if (typeof name !== 'string' || !Array.isArray(args) || args.length > 0) continue;
    // z3 lists the script's own core labels (`core!i`, defined as their literal `track!i`): not query constants.
    if (name.startsWith('core!') || name.startsWith('track!')) continue;
    const value = literal(sort, body);
    if (value === undefined) throw new InternalError(`${solver} model: ${name}: value ${JSON.stringify(body)} is not a literal of sort ${JSON.stringify(sort)}`);
    values.set(name, value);
  }
  return values;
}

/** A Z3 model (of the WASM session) holding exactly these constant values. */
export function toZ3Model(Z: Z3, values: ReadonlyMap<string, ModelValue>): Model<'main'> {
  const model = new Z.Model();
  for (const [name, v] of values) {
    if (v.sort === 'bv') model.updateValue(Z.BitVec.const(name, v.width), Z.BitVec.val(v.value, v.width));
    else if (v.sort === 'bool') model.updateValue(Z.Bool.const(name), Z.Bool.val(v.value));
    else model.updateValue(Z.Int.const(name), Z.Int.val(v.value));
  }
  return model;
}
