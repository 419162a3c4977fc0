import { InternalError } from '../../../src/errors.js';
import { readModel, toZ3Model } from '../../../src/verify/solvers/model.js';
import { z3Session } from '../../../src/verify/z3/session.js';

// (get-model) answers in the layouts Debian's z3 4.8.12 and cvc5 1.0.3 print (z3 lists named assertions too).
const Z3_MODEL = `(
  (define-fun core!0 () Bool
    track!0)
  (define-fun x () (_ BitVec 8)
    #x80)
  (define-fun up () Bool
    true)
  (define-fun bob ((x!0 (_ BitVec 1)) (x!1 (_ BitVec 1))) Int
    (ite (and (= x!0 #b0) (= x!1 #b1)) 1 0))
)`;
const CVC5_MODEL = `(
(define-fun x () (_ BitVec 8) #b10000000)
(define-fun up () Bool true)
(define-fun k () Int (- 3))
)`;

describe('native model reader', () => {
  it('reads constants from z3 and cvc5 output, skipping functions and the script’s core labels', () => {
    const z = readModel(Z3_MODEL, 'z3');
    expect([...z.keys()].sort()).toEqual(['up', 'x']);
    expect(z.get('x')).toEqual({ sort: 'bv', width: 8, value: 128n });
    const c = readModel(CVC5_MODEL, 'cvc5');
    expect(c.get('x')).toEqual(z.get('x'));
    expect(c.get('up')).toEqual({ sort: 'bool', value: true });
    expect(c.get('k')).toEqual({ sort: 'int', value: -3n });
    expect(readModel('(model (define-fun y () (_ BitVec 4) (_ bv5 4)))', 'z3').get('y')).toEqual({ sort: 'bv', width: 4, value: 5n });
  });

  it('refuses a constant whose value is not a literal', () => {
    expect(() => readModel('((define-fun x () (_ BitVec 8) (bvadd y #x01)))', 'cvc5')).toThrow(InternalError);
  });

  it('gives a Z3 model that evaluates the query’s own terms', async () => {
    const { Z } = await z3Session();
    const model = toZ3Model(Z, readModel(CVC5_MODEL, 'cvc5'));
    const x = Z.BitVec.const('x', 8);
    const v = model.eval(x.add(Z.BitVec.val(1, 8)), true);
    expect(Z.isBitVecVal(v) && v.value()).toBe(129n);
    expect(Z.isTrue(model.eval(Z.Bool.const('up'), true))).toBe(true);
  });
});
