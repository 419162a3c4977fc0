// Index lookup (P1): x_1 … x_n over an a-letter alphabet, then a query token @p; the answer is x_p. A
// 1-layer transformer of width O(log n) does it; a recurrent model must carry all of x, n·log₂ a bits
// (one-way communication: Alice holds x, Bob the query).
import { defineFamily, param } from './family.js';
import { boundedTask } from './bounded.js';
import { checkFixedLength, checkWordLength, misplaced } from './shape.js';
import type { TaskFamily } from './task.js';

/** The first a lowercase letters. */
function letters(a: number): string[] {
  return Array.from({ length: a }, (_, i) => String.fromCharCode(97 + i));
}

/** index:n,a: the letter at the queried position. */
export const indexFamily: TaskFamily = defineFamily({
  family: 'index',
  summary: 'index lookup: n letters then a query @p; the class is the p-th letter',
  params: [param('n', 'number of letters before the query', 8, 1, 1024), param('a', 'alphabet size', 2, 2, 26)],
  build: ({ n, a }, name) => {
    const classes = letters(a);
    const alphabet = [...classes, ...Array.from({ length: n }, (_, i) => `@${i + 1}`)];
    const lettersDesc = `a letter ${classes[0]}..${classes[a - 1]}`;
    return boundedTask({
      name,
      family: 'index',
      description: `index lookup: ${n} letters over ${classes.join('')}, then @p; the class is the p-th letter`,
      alphabet,
      classes,
      split: n,
      inputLength: n + 1,
      label(word) {
        checkWordLength(name, word, n + 1, 'n + 1');
        for (let i = 0; i < n; i++) if (word[i] >= a) throw misplaced(name, alphabet, word, i, lettersDesc);
        if (word[n] < a) throw misplaced(name, alphabet, word, n, `a query token @1..@${n}`);
        return word[word[n] - a];
      },
      sample(rng, lengths) {
        checkFixedLength(name, lengths, n + 1, 'n + 1');
        const label = rng.int(0, a - 1);
        const p = rng.int(0, n - 1);
        const word = Array.from({ length: n }, () => rng.int(0, a - 1));
        word[p] = label;
        word.push(a + p);
        return { word, label };
      },
    });
  },
});
