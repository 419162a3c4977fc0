import { describe, expect, it, jest } from '@jest/globals';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { verifyBounded } from '../../../src/verify/bounded.js';
import { parseModelClass } from '../../../src/verify/classes.js';
import { z3PrintErr, z3Session } from '../../../src/verify/z3/session.js';
import { GENEROUS_MS } from '../budget.js';

// A collector we can call: frees from z3-solver's FinalizationRegistry then arrive while a check solves,
// the race that corrupted the WebAssembly heap (src/verify/z3/session.ts). Without the deferral this loop aborted
// the process within a few dozen queries; with it, every query answers.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('the shared Z3 session', () => {
  it('survives garbage collection during checks (frees wait for the running check)', async () => {
    await z3Session();
    expect(globalThis.FinalizationRegistry.name).toBe('FinalizationRegistry');
    const timer = setInterval(gc, 40);
    try {
      const verdicts: string[] = [];
      for (let n = 0; n < 12; n++) {
        const r = await verifyBounded({
          task: parseTask(n % 2 === 0 ? 'mod:m=3' : 'parity'),
          modelClass: parseModelClass(n % 3 === 0 ? 'lrnn-pos' : 'lrnn-neg'),
          dim: 1,
          format: 'fixed<2,4>',
          maxLen: 6,
          words: 'all',
          readout: 'linear',
          timeoutMs: GENEROUS_MS,
        });
        verdicts.push(r.verdict);
      }
      expect(verdicts).not.toContain('unknown');
    } finally {
      clearInterval(timer);
    }
  });
});

describe("Z3's stderr", () => {
  it('drops the WebAssembly loading notices and passes every other line', () => {
    let err = '';
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      return true;
    });
    try {
      for (const line of ['still waiting on run dependencies:', 'dependency: wasm-instantiate', '(end of list)']) z3PrintErr(line);
      z3PrintErr('Aborted(OOM)', 'at', 3);
    } finally {
      spy.mockRestore();
    }
    expect(err).toBe('Aborted(OOM) at 3\n');
  });
});
