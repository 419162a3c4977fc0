import { describe, expect, it } from '@jest/globals';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { analyseCommunication } from '../../../src/reductions/cc/analyse.js';
import { injectivityLemma } from '../../../src/reductions/cc/lemma-z3.js';
import { communicationMatrix, oneWayComplexity } from '../../../src/reductions/cc/matrix.js';
import { messagesAreProtocol, searchProtocol } from '../../../src/reductions/cc/protocol-z3.js';
import { enumeratedTwoParty, greaterThan, twoPartyOfTask } from '../../../src/reductions/cc/twoparty.js';
import { GENEROUS_MS } from '../../verify/budget.js';

describe('Z3 one-way protocol search', () => {
  it('EQ_3: a 3-bit protocol exists (replayed), a 2-bit one does not', async () => {
    const m = communicationMatrix(twoPartyOfTask(parseTask('equality:n=3')));
    const sat = await searchProtocol(m, 3, 30_000);
    expect(sat.verdict).toBe('sat');
    expect(messagesAreProtocol(m, sat.messages ?? [])).toBe(true);
    expect((await searchProtocol(m, 2, 30_000)).verdict).toBe('unsat');
  }, 60_000);

  it('a message map that merges two different rows is not a protocol', () => {
    const m = communicationMatrix(greaterThan(2));
    expect(messagesAreProtocol(m, [0, 1, 2, 3])).toBe(true);
    expect(messagesAreProtocol(m, [0, 0, 2, 3])).toBe(false);
  });

  it('mod:m=3 split 3/3: Z3 agrees with the matrix, D→ = 2 (3 rows)', async () => {
    const r = await analyseCommunication(enumeratedTwoParty(parseTask('mod:m=3'), 6, 3), { z3: true, protocolMaxRows: 16, timeoutMs: GENEROUS_MS });
    expect(r.bits).toBe(2);
    expect(r.consistent).toBe(true);
    expect(Array.isArray(r.protocolSearch) && r.protocolSearch.map((s) => s.verdict)).toEqual(['sat', 'unsat']);
  }, 60_000);
});

describe('symbolic injectivity lemma', () => {
  it.each([
    [{ kind: 'equality', n: 32 } as const, 32],
    [{ kind: 'gt', n: 32 } as const, 32],
    [{ kind: 'index', n: 32, a: 2 } as const, 32],
    [{ kind: 'index', n: 5, a: 3 } as const, 8],
  ])('%o: unsat, so D→ = %i', async (fam, bits) => {
    const r = await injectivityLemma(fam, GENEROUS_MS);
    expect(r.verdict).toBe('unsat');
    expect(r.bits).toBe(bits);
  }, 60_000);

  it('agrees with the matrix where both run (INDEX_6 over 3 letters: 3^6 rows, ⌈6·log₂3⌉ = 10)', async () => {
    const f = twoPartyOfTask(parseTask('index:n=6,a=3'));
    const r = await analyseCommunication(f, { z3: true, protocolMaxRows: 0, timeoutMs: GENEROUS_MS });
    expect(oneWayComplexity(communicationMatrix(f)).bits).toBe(10);
    expect(r).toMatchObject({ bits: 10, consistent: true, lemma: { verdict: 'unsat', bits: 10 } });
  }, 60_000);
});
