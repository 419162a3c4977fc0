import fc from 'fast-check';
import { InternalError } from '../../../src/errors.js';
import { readSExprs, type SExpr } from '../../../src/verify/solvers/sexpr.js';

/** Prints an S-expression the way a solver would (symbols quoted with bars where they must be). */
function show(e: SExpr): string {
  if (Array.isArray(e)) return `(${e.map(show).join(' ')})`;
  return /^[A-Za-z0-9~!@$%^&*_\-+=<>.?/#:]+$/.test(e) ? e : `|${e}|`;
}

describe('SMT-LIB S-expression reader', () => {
  it('reads z3 and cvc5 answers: atoms, nested lists, |quoted symbols|, strings with doubled quotes, comments', () => {
    expect(readSExprs('unsat\n(core!1 core!0)\n')).toEqual(['unsat', ['core!1', 'core!0']]);
    expect(readSExprs('((define-fun |a b| () (_ BitVec 8) #x0f)) ; trailing comment\n')).toEqual([[['define-fun', 'a b', [], ['_', 'BitVec', '8'], '#x0f']]]);
    expect(readSExprs('(error "line 3: ""x"" unknown")')).toEqual([['error', 'line 3: "x" unknown']]);
    expect(readSExprs("(x'y)")).toEqual([["x'y"]]);
  });

  it('names the source of unbalanced input', () => {
    expect(() => readSExprs('(a (b)', 'cvc5 model')).toThrow(InternalError);
    expect(() => readSExprs('(a (b)', 'cvc5 model')).toThrow(/cvc5 model: 1 unclosed/);
    expect(() => readSExprs('a)')).toThrow(/unbalanced '\)'/);
    expect(() => readSExprs('|open')).toThrow(/unterminated/);
  });

  it('reads back what it prints (round trip)', () => {
    const atom = fc.stringMatching(/^[a-z0-9!#_ ]{1,6}$/).filter((s) => s.trim() === s && s !== '');
    const sexpr = fc.letrec<{ e: SExpr }>((tie) => ({ e: fc.oneof({ depthSize: 'small' }, atom, fc.array(tie('e'), { maxLength: 4 })) })).e;
    fc.assert(fc.property(fc.array(sexpr, { maxLength: 4 }), (es) => expect(readSExprs(es.map(show).join('\n'))).toEqual(es)));
  });
});
