// Permutation groups for the word problems. A permutation of {1..n} is stored 0-based as the array of
// images, p[i] = p(i); its name is the one-line notation of the 1-based images ('213' swaps 1 and 2).
//
// Convention for products (used by every word problem): (p·q)(i) = q(p(i)), i.e. p is applied first, and
// a word x_1 … x_T has product x_1·x_2·…·x_T, computed left to right as state_t = state_{t−1}·x_t from the
// identity. This is the order in which a recurrent model reads the word.

/** A permutation of {0..n-1} as its array of images. */
export type Perm = readonly number[];

/** The identity permutation of n points. */
export function identityPerm(n: number): Perm {
  return Array.from({ length: n }, (_, i) => i);
}

/** The product p·q: apply p, then q. */
export function compose(p: Perm, q: Perm): Perm {
  return p.map((pi) => q[pi]);
}

/** The one-line name of a permutation of at most 9 points ('21345'). */
export function permName(p: Perm): string {
  return p.map((pi) => String(pi + 1)).join('');
}

/** True when the permutation has an even number of inversions. */
export function isEven(p: Perm): boolean {
  let inversions = 0;
  for (let i = 0; i < p.length; i++) for (let j = i + 1; j < p.length; j++) if (p[i] > p[j]) inversions++;
  return inversions % 2 === 0;
}

/** All n! permutations in lexicographic order of their names (identity first). */
export function symmetricGroup(n: number): Perm[] {
  const out: Perm[] = [];
  const extend = (prefix: number[], rest: number[]): void => {
    if (rest.length === 0) out.push(prefix);
    for (let i = 0; i < rest.length; i++) extend([...prefix, rest[i]], [...rest.slice(0, i), ...rest.slice(i + 1)]);
  };
  extend([], identityPerm(n).slice());
  return out;
}

/** The even permutations of n points in lexicographic order (identity first). */
export function alternatingGroup(n: number): Perm[] {
  return symmetricGroup(n).filter(isEven);
}

/** The multiplication table of a group listed as `elements`: entry i·size + j = index of elements[i]·elements[j]. */
export function multiplicationTable(elements: readonly Perm[]): Int32Array {
  const index = new Map(elements.map((p, i) => [permName(p), i]));
  const size = elements.length;
  const table = new Int32Array(size * size);
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++) {
      const k = index.get(permName(compose(elements[i], elements[j])));
      if (k === undefined) throw new RangeError(`${permName(elements[i])}·${permName(elements[j])} is not in the group`);
      table[i * size + j] = k;
    }
  return table;
}
