// The one-layer linear RNNs' state step over the reals, computed in float64 (within a few ulps of the real
// step): the 'real' reference the containment tests of the zonotope steps compare with.
import type { Checkpoint } from '../../src/models/checkpoint.js';

const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

/** h' for one symbol of a one-layer lrnn-pos/neg/pd/complex (precision/exec's formulas without rounding). */
export function linearRealStepper(c: Checkpoint): (a: number, h: Float64Array) => Float64Array {
  const { config } = c;
  const w = (name: string) => Float64Array.from(c.weights[name].data);
  const d = config.width;
  const n = config.state;
  const gain = config.norm === 'rms' ? w('l0.norm1') : null;
  const embed = w('embed');
  const dot = (m: Float64Array, j: number, stride: number, u: Float64Array, bias: number) => u.reduce((s, x, i) => s + m[j + i * stride] * x, bias);
  return (a, h) => {
    const x = embed.slice(a * d, (a + 1) * d);
    const inv = gain === null ? 1 : 1 / Math.sqrt(x.reduce((s, v) => s + v * v, 0) / d + 1e-6);
    const u = x.map((v, i) => (gain === null ? v : v * gain[i] * inv));
    const [wa, ca, wb, cb, ws] = [w('l0.mix.wa'), w('l0.mix.ca'), w('l0.mix.wb'), w('l0.mix.cb'), w('l0.mix.w')];
    if (config.family === 'lrnn-complex') {
      const [wt, ct] = [w('l0.mix.wt'), w('l0.mix.ct')];
      const out = new Float64Array(n);
      for (let j = 0; j < n / 2; j++) {
        const r = Math.exp(-softplus(dot(wa, j, n / 2, u, ca[j])) * Math.exp(ws[j]));
        const t = dot(wt, j, n / 2, u, ct[j]);
        const [p, q] = [r * Math.cos(t), r * Math.sin(t)];
        out[2 * j] = p * h[2 * j] - q * h[2 * j + 1] + dot(wb, 2 * j, n, u, cb[2 * j]);
        out[2 * j + 1] = q * h[2 * j] + p * h[2 * j + 1] + dot(wb, 2 * j + 1, n, u, cb[2 * j + 1]);
      }
      return out;
    }
    let src = (j: number) => j;
    if (config.family === 'lrnn-pd') {
      const [wp, cp, perm] = [w('l0.mix.wp'), w('l0.mix.cp'), w('l0.mix.perm')];
      const k = config.vocab;
      const z = Array.from({ length: k }, (_, r) => dot(wp, r, k, u, cp[r]));
      const best = z.indexOf(Math.max(...z));
      src = (j) => perm[best * n + j];
    }
    return Float64Array.from({ length: n }, (_, j) => {
      const decay = Math.exp(-softplus(dot(wa, j, n, u, ca[j])) * Math.exp(ws[j]));
      const gate = config.family === 'lrnn-pos' ? decay : 2 * decay - 1;
      return gate * h[src(j)] + dot(wb, j, n, u, cb[j]);
    });
  };
}
