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

/** S' for one symbol of a one-layer deltanet-pos/neg over the reals in float64 (exec/deltanet.ts without rounding). */
export function deltanetRealStepper(c: Checkpoint): (a: number, s: Float64Array) => Float64Array {
  const { config } = c;
  const w = (name: string) => Float64Array.from(c.weights[name].data);
  const d = config.width;
  const n = config.state;
  const { heads } = config;
  const e = n / heads;
  const gain = config.norm === 'rms' ? w('l0.norm1') : null;
  const [embed, wk, wv, wbeta, cbeta] = [w('embed'), w('l0.mix.wk'), w('l0.mix.wv'), w('l0.mix.wbeta'), w('l0.mix.cbeta')];
  const dot = (m: Float64Array, j: number, stride: number, u: Float64Array, bias: number) => u.reduce((s, x, i) => s + m[j + i * stride] * x, bias);
  return (a, s) => {
    const x = embed.slice(a * d, (a + 1) * d);
    const inv = gain === null ? 1 : 1 / Math.sqrt(x.reduce((t, v) => t + v * v, 0) / d + 1e-6);
    const u = x.map((v, i) => (gain === null ? v : v * gain[i] * inv));
    const out = Float64Array.from(s);
    for (let h = 0; h < heads; h++) {
      const raw = Array.from({ length: e }, (_, i) => dot(wk, h * e + i, n, u, 0));
      const norm = 1 / Math.sqrt(raw.reduce((t, v) => t + v * v, 0) + 1e-6);
      const k = raw.map((v) => v * norm);
      const sig = 1 / (1 + Math.exp(-dot(wbeta, h, heads, u, cbeta[h])));
      const beta = config.family === 'deltanet-neg' ? 2 * sig : sig;
      const base = h * e * e;
      for (let i = 0; i < e; i++) {
        const r = dot(wv, h * e + i, n, u, 0) - k.reduce((t, km, m) => t + s[base + i * e + m] * km, 0);
        for (let j = 0; j < e; j++) out[base + i * e + j] = s[base + i * e + j] + beta * r * k[j];
      }
    }
    return out;
  };
}

/** [h', c'] for one symbol of a one-layer LSTM over the reals in float64 (exec/lstm.ts without rounding). */
export function lstmRealStepper(c: Checkpoint): (a: number, s: Float64Array) => Float64Array {
  const { config } = c;
  const w = (name: string) => Float64Array.from(c.weights[name].data);
  const d = config.width;
  const n = config.state;
  const m = 4 * n;
  const gain = config.norm === 'rms' ? w('l0.norm1') : null;
  const [embed, wx, wh, b] = [w('embed'), w('l0.mix.wx'), w('l0.mix.wh'), w('l0.mix.b')];
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  return (a, s) => {
    const x = embed.slice(a * d, (a + 1) * d);
    const inv = gain === null ? 1 : 1 / Math.sqrt(x.reduce((t, v) => t + v * v, 0) / d + 1e-6);
    const u = x.map((v, i) => (gain === null ? v : v * gain[i] * inv));
    const pre = Array.from({ length: m }, (_, j) => {
      let z = b[j];
      for (let i = 0; i < d; i++) z += wx[i * m + j] * u[i];
      for (let i = 0; i < n; i++) z += wh[i * m + j] * s[i];
      return z;
    });
    const out = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) {
      const cell = sig(pre[n + j]) * s[n + j] + sig(pre[j]) * Math.tanh(pre[2 * n + j]);
      out[j] = sig(pre[3 * n + j]) * Math.tanh(cell);
      out[n + j] = cell;
    }
    return out;
  };
}
