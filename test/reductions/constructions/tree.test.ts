import { describe, expect, it } from '@jest/globals';
import { parseFormat } from '../../../src/precision/parse.js';
import { Rng } from '../../../src/random.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { plainConfig, randomCheckpoint } from '../../../src/reductions/constructions/build.js';
import { checkTree, compose, composeTree, symbolMaps, type AffineMap } from '../../../src/reductions/constructions/tree.js';
import { toDyadic } from '../../../src/precision/dyadic.js';

const map = (a: number[], b: number[]): AffineMap => ({ a: a.map(toDyadic), b: b.map(toDyadic) });

describe('balanced-tree composition of affine steps (P0)', () => {
  it('compose is (a₁a₂, a₂b₁ + b₂)', () => {
    const c = compose(map([0.5], [1]), map([-0.25], [2]));
    expect(c.a[0]).toEqual(toDyadic(-0.125));
    expect(c.b[0]).toEqual(toDyadic(1.75));
  });

  it.each(['lrnn-neg', 'lrnn-pos'] as const)('%s checkpoint: tree = sequential exactly, depth ⌈log₂ T⌉, T − 1 compositions', (family) => {
    const task = parseTask('parity');
    const ckpt = randomCheckpoint(plainConfig(family, task, 4, 3), task, new Rng(11));
    const maps = symbolMaps(ckpt, parseFormat('fixed<2,4>'));
    const rng = new Rng(12);
    for (const T of [1, 2, 3, 7, 8, 100, 256]) {
      const word = Array.from({ length: T }, () => rng.int(0, 1));
      const r = checkTree(maps, word);
      expect(r).toMatchObject({ equal: true, depth: Math.ceil(Math.log2(T)), compositions: T - 1 });
    }
  });

  it('a wrong composition order is caught: the tree depends on the order of the leaves', () => {
    const f = map([0.5], [1]);
    const g = map([0.5], [3]);
    expect(composeTree([f, g]).map.b[0]).not.toEqual(composeTree([g, f]).map.b[0]);
  });
});
