// Files are validated once, on load, against a zod schema; the first problem becomes one line that names
// the file, the field (as a path like states[3].next[1]) and the value at fault.
import type { z } from 'zod';
import { InputError } from './errors.js';

/** Formats a zod issue path as a field name: ['states', 3, 'next'] -> states[3].next. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(top level)' : out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const part of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[part];
  }
  return v;
}

function showValue(v: unknown): string {
  if (v === undefined) return 'missing';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Parses data with a schema, or throws InputError "<where>: <field>: <problem> (got <value>)". */
export function parseWithSchema<S extends z.ZodType>(schema: S, data: unknown, where: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const value = valueAt(data, issue.path);
  throw new InputError(`${where}: ${fieldPath(issue.path)}: ${issue.message} (got ${showValue(value)})`);
}
