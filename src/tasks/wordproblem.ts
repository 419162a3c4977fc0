// Word problems of S3, S5 and A5: the input is a sequence of group elements, the output their product
// (the multi-class Moore machine, one state and one class per element), or, for the -identity variants,
// whether the product is the identity. S5 and A5 are NC¹-complete (Barrington), hence beyond log-precision
// transformers unless TC⁰ = NC¹ (P2's TC⁰ bound with Barrington's theorem, as Merrill, Petty, Sabharwal 2024
// draw it) and beyond diagonal SSMs (the same paper). The product convention is the one in groups.ts: apply
// the first element first.
//
// s5-swaps and s5-swaps3 are the simplified S5 settings of P3's Figure 4: the inputs are only the
// permutations that move at most 2 points (the identity and the 10 swaps), or at most 3 (those and the 20
// 3-cycles); the product still ranges over all 120 elements (the swaps generate S5), which are the classes.
import { Dfa } from '../automata/dfa.js';
import { defineFamily } from './family.js';
import { alternatingGroup, compose, multiplicationTable, permName, symmetricGroup, type Perm } from './groups.js';
import { regularTask } from './regular.js';
import type { TaskFamily } from './task.js';

interface GroupDef {
  readonly id: 's3' | 's5' | 'a5';
  readonly title: string;
  readonly elements: () => Perm[];
}

const GROUPS: readonly GroupDef[] = [
  { id: 's3', title: 'S3', elements: () => symmetricGroup(3) },
  { id: 's5', title: 'S5', elements: () => symmetricGroup(5) },
  { id: 'a5', title: 'A5', elements: () => alternatingGroup(5) },
];

/** The Cayley machine: state = product so far (identity = element 0), labels = the classes given. */
function cayley(elements: readonly Perm[], labels: ArrayLike<number>, classes?: readonly string[]): Dfa {
  const alphabet = elements.map(permName);
  return new Dfa({ alphabet, classes, table: multiplicationTable(elements), labels, initial: 0 });
}

/** The product families s3, s5, a5: classes are the element names. */
export const productFamilies: readonly TaskFamily[] = GROUPS.map((g) =>
  defineFamily({
    family: g.id,
    summary: `${g.title} word problem: the product of a sequence of elements (one class per element)`,
    params: [],
    build: (_values, name) => {
      const elements = g.elements();
      const names = elements.map(permName);
      return regularTask({
        name,
        family: g.id,
        description: `${g.title} word problem: the product x_1·…·x_T, applied left to right`,
        dfa: cayley(elements, Int32Array.from(names, (_, i) => i), names),
      });
    },
  }),
);

/** The binary families s3-identity, s5-identity, a5-identity: accept iff the product is the identity. */
export const identityFamilies: readonly TaskFamily[] = GROUPS.map((g) => {
  const family = `${g.id}-identity`;
  return defineFamily({
    family,
    summary: `${g.title} word problem, binary: is the product the identity?`,
    params: [],
    build: (_values, name) => {
      const elements = g.elements();
      return regularTask({
        name,
        family,
        description: `${g.title} word problem: accept iff the product x_1·…·x_T is the identity`,
        dfa: cayley(elements, Int32Array.from(elements, (_, i) => (i === 0 ? 1 : 0))),
      });
    },
  });
});

/** How many points a permutation moves. */
export function movedPoints(p: Perm): number {
  return p.filter((pi, i) => pi !== i).length;
}

/** The machine over all elements of a group whose inputs are only `inputs`: state = product so far. */
function restrictedCayley(elements: readonly Perm[], inputs: readonly Perm[]): Dfa {
  const index = new Map(elements.map((p, i) => [permName(p), i]));
  const k = inputs.length;
  const table = new Int32Array(elements.length * k);
  elements.forEach((p, i) =>
    inputs.forEach((q, j) => {
      const r = index.get(permName(compose(p, q)));
      if (r === undefined) throw new RangeError(`${permName(p)}·${permName(q)} is not in the group`);
      table[i * k + j] = r;
    }),
  );
  const names = elements.map(permName);
  return new Dfa({ alphabet: inputs.map(permName), classes: names, table, labels: Int32Array.from(names, (_, i) => i), initial: 0 });
}

/** P3 Figure 4's restricted S5 families: inputs moving at most 2 points (s5-swaps) or 3 (s5-swaps3). */
export const restrictedS5Families: readonly TaskFamily[] = (
  [
    ['s5-swaps', 2, 'only swaps'],
    ['s5-swaps3', 3, 'swaps + 3-cycles'],
  ] as const
).map(([family, moved, title]) =>
  defineFamily({
    family,
    summary: `S5 word problem, ${title} as inputs (the identity included; classes: all 120 elements)`,
    params: [],
    build: (_values, name) => {
      const elements = symmetricGroup(5);
      return regularTask({
        name,
        family,
        description: `S5 word problem over the permutations moving at most ${moved} points (${title}): the product x_1·…·x_T`,
        dfa: restrictedCayley(elements, elements.filter((p) => movedPoints(p) <= moved)),
      });
    },
  }),
);

/**
 * s3-gen-identity: S3's identity problem over its two generators only, the transposition (12) = '213' and
 * the 3-cycle (123) = '231'. Two letters keep bounded class-level queries small (2^n words of length n,
 * not 6^n) while the group stays non-abelian, the property P0 puts beyond diagonal LRNNs.
 */
export const generatorIdentityFamily: TaskFamily = defineFamily({
  family: 's3-gen-identity',
  summary: 'S3 word problem over the generators 213 and 231, binary: is the product the identity?',
  params: [],
  build: (_values, name) => {
    const elements = symmetricGroup(3);
    const names = elements.map(permName);
    const gens = ['213', '231'].map((g) => names.indexOf(g));
    const full = multiplicationTable(elements);
    const table = Int32Array.from({ length: elements.length * gens.length }, (_, i) => full[Math.floor(i / gens.length) * elements.length + gens[i % gens.length]]);
    return regularTask({
      name,
      family: 's3-gen-identity',
      description: 'S3 word problem over the generators 213 (a transposition) and 231 (a 3-cycle): accept iff the product is the identity',
      dfa: new Dfa({ alphabet: gens.map((g) => names[g]), table, labels: Int32Array.from(elements, (_, i) => (i === 0 ? 1 : 0)), initial: 0 }),
    });
  },
});
