import { it } from '@jest/globals';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { verifyBounded } from '../../../src/verify/bounded.js';
import { parseModelClass } from '../../../src/verify/classes.js';
it('explore', async () => {
  const r = await verifyBounded({ task: parseTask('mod:m=3'), modelClass: parseModelClass('deltaproduct-neg-2'), dim: 3, format: 'fixed<3,4>', maxLen: 4, words: 'unary', readout: 'linear', timeoutMs: 400000 });
  process.stderr.write(`DP3 n=4: ${r.verdict} ${(r.timeMs / 1000).toFixed(2)}s ${r.witness ? JSON.stringify(r.witness) : ''}\n`);
}, 900000);
