// The one list of task families and the parser of task specs ('parity', 'mod:m=5', 'dyck:k=2,d=3').
// Canonical names print every parameter, so parseTask(task.name) is the same cached Task.
import { InputError } from '../errors.js';
import { anbnFamily } from './anbn.js';
import { parityFamily, modFamily } from './counting.js';
import { dyckFamily } from './dyck.js';
import { flipflopFamily } from './flipflop.js';
import { indexFamily } from './lookup.js';
import { majorityFamily } from './majority.js';
import { modarithBracketsFamily } from './modarith-brackets.js';
import { modarithFamily, modarithPaperFamily } from './modarith.js';
import type { Task, TaskFamily } from './task.js';
import { tomitaFamilies } from './tomita.js';
import { disjointnessFamily, equalityFamily } from './twoparty.js';
import { generatorIdentityFamily, identityFamilies, productFamilies, restrictedS5Families } from './wordproblem.js';

// Listing order: counting, the Tomita benchmarks, the other regular tasks from small to large state
// spaces, the word problems, then the bounded (non-regular) tasks.
const FAMILIES: readonly TaskFamily[] = Object.freeze([
  parityFamily,
  modFamily,
  ...tomitaFamilies,
  dyckFamily,
  flipflopFamily,
  modarithFamily,
  modarithPaperFamily,
  ...productFamilies,
  ...restrictedS5Families,
  ...identityFamilies,
  generatorIdentityFamily,
  indexFamily,
  equalityFamily,
  disjointnessFamily,
  anbnFamily,
  majorityFamily,
  modarithBracketsFamily,
]);

const BY_NAME = new Map(FAMILIES.map((f) => [f.family, f]));

/** Every task family, in listing order. */
export function taskFamilies(): readonly TaskFamily[] {
  return FAMILIES;
}

/** The family with this exact name, or undefined. */
export function findFamily(name: string): TaskFamily | undefined {
  return BY_NAME.get(name);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

/** Family names within two edits of `name`, or sharing a prefix of at least three letters with it. */
function closeNames(name: string): string[] {
  const lower = name.toLowerCase();
  return FAMILIES.map((f) => f.family)
    .map((f) => ({ f, d: editDistance(lower, f) }))
    .filter(({ f, d }) => d <= 2 || (lower.length >= 3 && (f.startsWith(lower) || lower.startsWith(f))))
    .sort((x, y) => x.d - y.d || x.f.localeCompare(y.f))
    .map(({ f }) => f);
}

/** Parses 'family' or 'family:key=value,...' (missing parameters take their defaults) into a Task. */
export function parseTask(spec: string): Task {
  const text = spec.trim();
  const colon = text.indexOf(':');
  const familyName = colon < 0 ? text : text.slice(0, colon);
  const family = BY_NAME.get(familyName);
  if (family === undefined) {
    const close = closeNames(familyName);
    const hint = close.length > 0 ? ` (did you mean ${close.join(', ')}?)` : '';
    throw new InputError(
      `unknown task '${familyName}'${hint}; available: ${FAMILIES.map((f) => f.family).join(', ')}`,
    );
  }
  const given: Record<string, number> = {};
  if (colon >= 0) {
    for (const part of text.slice(colon + 1).split(',')) {
      const m = /^\s*([A-Za-z_]\w*)\s*=\s*(\S*)\s*$/.exec(part);
      if (m === null)
        throw new InputError(`task '${familyName}': expected key=value, got '${part}' in '${spec}'`);
      const [, key, raw] = m;
      if (Object.hasOwn(given, key)) throw new InputError(`task '${familyName}': parameter ${key} is given twice`);
      if (!family.params.some((p) => p.name === key)) {
        const known = family.params.length === 0 ? 'it takes no parameters' : `parameters: ${family.params.map((p) => p.name).join(', ')}`;
        throw new InputError(`task '${familyName}': unknown parameter '${key}' (${known})`);
      }
      if (!/^[+-]?\d+$/.test(raw)) throw new InputError(`task '${familyName}': parameter ${key} = '${raw}' is not an integer`);
      given[key] = Number(raw);
    }
  }
  return family.create(given);
}
