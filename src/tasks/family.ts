// Task families: parameter checking, canonical names and the per-family cache. Every family goes through
// defineFamily, so `mod:m=3` typed twice, or built once by the CLI and once by a test, is one Task object
// with one reference DFA (minimising Dyck-(4,8) or S5 again on every lookup would be wasted time).
import { InputError } from '../errors.js';
import type { Task, TaskFamily, TaskParam } from './task.js';

/** Parameter values by name. */
export type ParamValues = Readonly<Record<string, number>>;

/** A parameter declaration (frozen). */
export function param(name: string, description: string, dflt: number, min: number, max: number): TaskParam {
  return Object.freeze({ name, description, default: dflt, min, max });
}

/** The canonical name: the family alone, or the family and every parameter in declaration order. */
export function canonicalName(family: string, params: readonly TaskParam[], values: ParamValues): string {
  if (params.length === 0) return family;
  return `${family}:${params.map((p) => `${p.name}=${values[p.name]}`).join(',')}`;
}

/** Checks the given parameters (known names, integers, in range) and fills in defaults. */
export function resolveParams(family: string, params: readonly TaskParam[], given: ParamValues): Record<string, number> {
  for (const key of Object.keys(given)) {
    if (!params.some((p) => p.name === key)) {
      const known = params.length === 0 ? 'it takes no parameters' : `parameters: ${params.map((p) => p.name).join(', ')}`;
      throw new InputError(`task '${family}': unknown parameter '${key}' (${known})`);
    }
  }
  const values: Record<string, number> = {};
  for (const p of params) {
    const v = Object.hasOwn(given, p.name) ? given[p.name] : p.default;
    if (typeof v !== 'number' || !Number.isInteger(v))
      throw new InputError(`task '${family}': parameter ${p.name} = ${String(v)} is not an integer`);
    if (v < p.min || v > p.max)
      throw new InputError(`task '${family}': parameter ${p.name} = ${v} is out of range [${p.min}, ${p.max}]`);
    values[p.name] = v;
  }
  return values;
}

/** What a family module provides: its declaration and a builder called once per canonical name. */
export interface FamilySpec {
  readonly family: string;
  readonly summary: string;
  readonly params: readonly TaskParam[];
  build(values: ParamValues, name: string): Task;
}

/** A TaskFamily whose create() validates parameters and returns one cached Task per canonical name. */
export function defineFamily(spec: FamilySpec): TaskFamily {
  const cache = new Map<string, Task>();
  const params = Object.freeze([...spec.params]);
  return Object.freeze({
    family: spec.family,
    summary: spec.summary,
    params,
    create(given: ParamValues): Task {
      const values = resolveParams(spec.family, params, given);
      const name = canonicalName(spec.family, params, values);
      let task = cache.get(name);
      if (task === undefined) {
        task = spec.build(Object.freeze(values), name);
        cache.set(name, task);
      }
      return task;
    },
  });
}
