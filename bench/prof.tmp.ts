import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initWeights } from '../src/models/init.js';
import { buildNetwork } from '../src/models/network.js';
import { Rng } from '../src/random.js';
for (const backend of ['wasm', 'cpu']) {
  await tf.setBackend(backend);
  for (const scan of ['parallel', 'sequential'] as const) {
  const config = { family: 'lrnn-pos', vocab: 2, classes: 2, width: 64, state: 64, layers: 1, mlp: 64, norm: 'rms', output: 'last', heads: 1, positions: 'none', maxLen: 0 } as const;
  const net = buildNetwork(config, initWeights(config, new Rng(1)), { scan });
  const tokens = tf.zeros([64, 64], 'int32') as tf.Tensor2D;
  const time = (f: () => void) => { f(); const s = performance.now(); for (let i = 0; i < 3; i++) f(); return ((performance.now() - s) / 3).toFixed(0); };
  const fwd = time(() => tf.tidy(() => { net.logits(tokens).dataSync(); }));
  const bwd = time(() => tf.tidy(() => { const { value } = tf.variableGrads(() => tf.sum(net.logits(tokens)) as tf.Scalar); value.dataSync(); }));
  const prof = await tf.profile(() => tf.tidy(() => { const { value } = tf.variableGrads(() => tf.sum(net.logits(tokens)) as tf.Scalar); value.dataSync(); }));
  const byName = new Map<string, number>();
  for (const k of prof.kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([n, t]) => `${n}:${t.toFixed(0)}`).join(' ');
  console.log(backend, scan, 'fwd', fwd, 'fwd+bwd', bwd, 'kernels', prof.kernels.length, top);
  net.dispose();
  }
}
