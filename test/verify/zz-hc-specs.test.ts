import { it } from '@jest/globals';
import { loadSpec, runSpec } from '../../src/verify/spec.js';
it('specs', async () => {
  for (const f of (process.env.SPECS ?? '').split(',')) {
    const s = loadSpec(`specs/${f}.json`);
    if (s.kind === 'checkpoint') continue;
    const r = await runSpec(s);
    process.stderr.write(`SPEC ${f}: expected ${r.expected} got ${r.got} ${(r.timeMs / 1000).toFixed(2)} s\n`);
  }
}, 900000);
