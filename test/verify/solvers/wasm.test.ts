// The WASM runner's stop: a stopped check ends, its interrupt timer is cleared on every path, and the next
// query on the shared context is neither cancelled nor slowed (the context interrupt is the whole
// context's, so a timer left running would cancel whatever checks next, model.eval included).
import { describe, expect, it } from '@jest/globals';
import type { BitVec } from 'z3-solver';
import { liveInterruptTimers, runWasm } from '../../../src/verify/solvers/wasm.js';
import { z3Session, type Z3 } from '../../../src/verify/z3/session.js';

/** Factor a 64-bit product of two 32-bit primes: Z3 does not finish it in minutes. */
function hard(Z: Z3): { facts: ReturnType<Z3['Bool']['val']>[]; timeoutMs: number } {
  const x = Z.BitVec.const('x', 64);
  const y = Z.BitVec.const('y', 64);
  const n = Z.BitVec.val(4294967291n * 4294967279n, 64);
  const small = (v: BitVec<number, 'main'>): ReturnType<Z3['Bool']['val']> => Z.And(v.ugt(Z.BitVec.val(1, 64)), v.ult(Z.BitVec.val(2n ** 32n, 64)));
  return { facts: [x.mul(y).eq(n), small(x), small(y)], timeoutMs: 600_000 };
}

/** A query a check answers at once, and whose model must evaluate (an interrupt left pending cancels eval). */
async function easy(Z: Z3): Promise<string> {
  const z = Z.BitVec.const('z', 8);
  const run = runWasm(Z, { facts: [z.add(Z.BitVec.val(1, 8)).eq(Z.BitVec.val(5, 8))], timeoutMs: 600_000 });
  const out = await run.outcome;
  expect(out.verdict).toBe('sat');
  return out.model!.eval(z, true).toString();
}

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('the WASM runner', () => {
  it('a stopped check ends, clears its interrupt timer, and the next query is answered, not cancelled', async () => {
    const { Z } = await z3Session();
    expect(await easy(Z)).toBe('#x04');
    const run = runWasm(Z, hard(Z));
    await tick(300);
    run.stop();
    run.stop();
    const out = await run.outcome;
    expect(out.verdict).toBe('unknown');
    expect(liveInterruptTimers()).toBe(0);
    for (let i = 0; i < 3; i++) expect(await easy(Z)).toBe('#x04');
  });

  it('a run stopped while queued behind another never checks; a stop after the end changes nothing', async () => {
    const { Z } = await z3Session();
    const first = runWasm(Z, hard(Z));
    const queued = runWasm(Z, hard(Z));
    queued.stop();
    await tick(200);
    first.stop();
    expect((await first.outcome).verdict).toBe('unknown');
    expect(await queued.outcome).toEqual({ verdict: 'unknown', reason: 'canceled' });
    const z = Z.BitVec.const('z', 8);
    const done = runWasm(Z, { facts: [z.eq(Z.BitVec.val(7, 8))], timeoutMs: 600_000 });
    const out = await done.outcome;
    done.stop();
    expect(liveInterruptTimers()).toBe(0);
    expect(out.model!.eval(z, true).toString()).toBe('#x07');
    expect(await easy(Z)).toBe('#x04');
  });

  it('a tiny resource limit (rlimit) answers unknown whatever the load; none answers sat', async () => {
    const { Z } = await z3Session();
    const x = Z.BitVec.const('x', 16);
    const y = Z.BitVec.const('y', 16);
    const facts = [x.mul(y).eq(Z.BitVec.val(143, 16)), x.ugt(Z.BitVec.val(1, 16)), y.ugt(Z.BitVec.val(1, 16)), x.ult(Z.BitVec.val(256, 16)), y.ult(Z.BitVec.val(256, 16))];
    const tiny = await runWasm(Z, { facts, timeoutMs: 600_000, rlimit: 1 }).outcome;
    expect(tiny.verdict).toBe('unknown');
    expect(tiny.reason).toMatch(/resource|canceled/);
    expect((await runWasm(Z, { facts, timeoutMs: 600_000 }).outcome).verdict).toBe('sat');
  });
});
