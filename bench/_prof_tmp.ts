import { TooManyStatesError } from '../src/errors.js';
import { exactAutomaton } from '../src/extract/exact.js';
import { paramShapes, sizeOf, type Weights } from '../src/models/params.js';
import { checkpointMachine } from '../src/precision/machine.js';
import { parseFormat } from '../src/precision/parse.js';
import { Rng } from '../src/random.js';
const config: any = { family: 'lrnn-neg', vocab: 2, classes: 2, width: 2, state: 64, layers: 1, mlp: 0, norm: 'none', output: 'last', heads: 1, positions: 'none', maxLen: 0 };
const rng = new Rng(2024);
const weights: Weights = {};
for (const [name, shape] of paramShapes(config)) weights[name] = { shape, data: Float32Array.from({ length: sizeOf(shape) }, () => 1.6 * rng.float() - 0.8) };
const m = checkpointMachine({ config, task: { name: 'parity', alphabet: ['0', '1'], classes: ['reject', 'accept'] }, training: null, origin: 'x', weights }, parseFormat(process.argv[2] ?? 'fixed<2,6>'));
const t = performance.now();
try { exactAutomaton(m, { maxStates: 100000 }); } catch (e) { if (!(e instanceof TooManyStatesError)) throw e; }
console.log((performance.now() - t) / 1000);
const p = m.packed!;
const row = Int32Array.from(p.initial); const dst = new Int32Array(p.width);
let t2 = performance.now();
for (let i = 0; i < 100000; i++) { p.step(i % 2 ? row : dst, 0, i & 1, i % 2 ? dst : row, 0); }
console.log('step us', (performance.now() - t2) / 100000 * 1000);
t2 = performance.now();
for (let i = 0; i < 10000; i++) { m.classify({ symbol: 1, values: p.values(row, 0), node: null }); }
console.log('classify us', (performance.now() - t2) / 10000 * 1000);
