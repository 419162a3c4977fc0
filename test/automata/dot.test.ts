import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Dfa } from '../../src/automata/dfa.js';
import { dfaToDot } from '../../src/automata/dot.js';
import { dotToSvg } from '../../src/automata/svg.js';
import { dfaToTable } from '../../src/automata/table.js';

const golden = (name: string) => readFileSync(new URL(`../golden/${name}`, import.meta.url), 'utf8');

// (10)*, with its states deliberately listed out of BFS order: 0 = sink, 1 = after '1', 2 = initial.
const tomita2 = Dfa.binary(['0', '1'], [0, 0, 2, 0, 0, 1], [2], 2);
const mod3 = new Dfa({ alphabet: ['a', 'b'], classes: ['zero', 'one', 'two'], table: [1, 0, 2, 1, 0, 2], labels: [0, 1, 2] });

describe('DOT output', () => {
  it('matches the golden file, states renumbered in BFS order', () => {
    expect(dfaToDot(tomita2, { name: 'tomita2' })).toBe(golden('tomita2.dot'));
  });

  it('can hide the rejecting sink', () => {
    expect(dfaToDot(tomita2, { name: 'tomita2', hideSinks: true })).toBe(golden('tomita2-nosink.dot'));
  });

  it('labels multi-class states with their class', () => {
    expect(dfaToDot(mod3, { name: 'mod3' })).toBe(golden('mod3.dot'));
  });

  it('prints the same bytes for isomorphic automata', () => {
    const renumbered = Dfa.binary(['0', '1'], [2, 1, 0, 2, 2, 2], [0], 0);
    expect(dfaToDot(renumbered, { name: 'tomita2' })).toBe(dfaToDot(tomita2, { name: 'tomita2' }));
  });

  it('prints the transition table', () => {
    expect(dfaToTable(mod3)).toBe(golden('mod3.table.txt'));
  });
});

describe('SVG output', () => {
  it('renders with the WebAssembly Graphviz', async () => {
    const svg = await dotToSvg(dfaToDot(tomita2, { name: 'tomita2' }));
    expect(svg).toContain('<svg');
    for (const state of ['q0', 'q1', 'q2']) expect(svg).toContain(`>${state}</text>`);
  });
});
