import { describe, expect, it } from '@jest/globals';
import { dfaToDot } from '../../src/automata/dot.js';
import { randomDfa } from '../../src/automata/random.js';
import { DEFAULT_DRAWING_LIMIT, dotSize, drawSvg } from '../../src/automata/svg.js';
import { Rng } from '../../src/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import type { Dfa } from '../../src/automata/dfa.js';

describe('drawSvg', () => {
  it('counts the states and merged edges a DOT graph draws', () => {
    // tomita3: 5 states, 10 transitions; the sink's two self-loops merge into one edge labelled 0,1.
    const dot = dfaToDot(parseTask('tomita3').reference as Dfa);
    expect(dotSize(dot)).toEqual({ states: 5, edges: 9 });
  });

  it('skips a drawing above the limit without calling Graphviz, and draws it when forced', async () => {
    const big = dfaToDot(randomDfa(new Rng(1), 61, 2));
    const skipped = await drawSvg(big);
    expect(skipped).toMatchObject({ why: 'limit' });
    expect('skipped' in skipped && skipped.skipped).toContain('61 states');
    expect(DEFAULT_DRAWING_LIMIT).toEqual({ states: 60, edges: 600 });
    const tooManyEdges = await drawSvg(dfaToDot(randomDfa(new Rng(2), 40, 10)), { limit: { states: 60, edges: 100 } });
    expect(tooManyEdges).toMatchObject({ why: 'limit' });
    const forced = await drawSvg(big, { force: true });
    expect('svg' in forced && forced.svg).toContain('<svg');
  });

  it('turns a Graphviz failure into a reason, never an exception', async () => {
    const broken = await drawSvg('digraph "x" { q0 -> ; }');
    expect(broken).toMatchObject({ why: 'failed' });
  });
});
