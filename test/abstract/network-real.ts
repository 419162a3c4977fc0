// The state step of a recurrent network of any depth and family over the reals, computed in float64
// (precision/exec/network.ts and the mixers' formulas without rounding): the 'real' reference of the
// containment tests of the multi-layer zonotope steps (within a few ulps of the real step).
import type { Checkpoint } from '../../src/models/checkpoint.js';

const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const sig = (x: number) => 1 / (1 + Math.exp(-x));

/** h' for one symbol of any recurrent checkpoint (every layer's state, one after the other). */
export function networkRealStepper(c: Checkpoint): (a: number, h: Float64Array) => Float64Array {
  const { config } = c;
  const w = (name: string) => Float64Array.from(c.weights[name].data);
  const { width: d, state: n, layers: L, mlp: m, heads, family } = config;
  const size = family === 'lstm' ? 2 * n : family.startsWith('deltanet') ? n * (n / heads) : n;
  const dot = (W: Float64Array, j: number, stride: number, u: Float64Array, bias: number) => u.reduce((s, x, i) => s + W[j + i * stride] * x, bias);
  const lin = (W: Float64Array, x: Float64Array, out: number, b?: Float64Array) => Float64Array.from({ length: out }, (_, j) => dot(W, j, out, x, b === undefined ? 0 : b[j]));
  const rms = (x: Float64Array, g: string) => {
    if (config.norm !== 'rms') return x;
    const gain = w(g);
    const inv = 1 / Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length + 1e-6);
    return x.map((v, i) => v * gain[i] * inv);
  };
  const l2 = (W: Float64Array, u: Float64Array) => {
    const e = n / heads;
    const out = new Float64Array(n);
    for (let h = 0; h < heads; h++) {
      const raw = Array.from({ length: e }, (_, i) => dot(W, h * e + i, n, u, 0));
      const inv = 1 / Math.sqrt(raw.reduce((t, v) => t + v * v, 0) + 1e-6);
      raw.forEach((v, i) => (out[h * e + i] = v * inv));
    }
    return out;
  };
  /** The layer's new state and its output y. */
  const layer = (p: string, u: Float64Array, s: Float64Array): [Float64Array, Float64Array] => {
    const mw = (name: string) => w(`${p}mix.${name}`);
    if (family === 'rnn-tanh') {
      const z1 = lin(mw('wx'), u, n, mw('b'));
      const z2 = lin(mw('wh'), s, n);
      const h = z1.map((v, j) => Math.tanh(v + z2[j]));
      return [h, lin(mw('wo'), h, d)];
    }
    if (family === 'lstm') {
      const pre = lin(mw('wx'), u, 4 * n, mw('b'));
      const rec = lin(mw('wh'), s.slice(0, n), 4 * n);
      const z = pre.map((v, j) => v + rec[j]);
      const out = new Float64Array(2 * n);
      for (let j = 0; j < n; j++) {
        const cell = sig(z[n + j]) * s[n + j] + sig(z[j]) * Math.tanh(z[2 * n + j]);
        out[j] = sig(z[3 * n + j]) * Math.tanh(cell);
        out[n + j] = cell;
      }
      return [out, lin(mw('wo'), out.slice(0, n), d)];
    }
    if (family.startsWith('deltanet')) {
      const e = n / heads;
      const k = l2(mw('wk'), u);
      const q = l2(mw('wq'), u);
      const v = lin(mw('wv'), u, n);
      const out = Float64Array.from(s);
      const o = new Float64Array(n);
      for (let h = 0; h < heads; h++) {
        const sg = sig(dot(mw('wbeta'), h, heads, u, mw('cbeta')[h]));
        const beta = family === 'deltanet-neg' ? 2 * sg : sg;
        const base = h * e * e;
        for (let i = 0; i < e; i++) {
          let r = v[h * e + i];
          for (let t = 0; t < e; t++) r -= s[base + i * e + t] * k[h * e + t];
          for (let j = 0; j < e; j++) out[base + i * e + j] = s[base + i * e + j] + beta * r * k[h * e + j];
        }
        for (let i = 0; i < e; i++) for (let t = 0; t < e; t++) o[h * e + i] += out[base + i * e + t] * q[h * e + t];
      }
      return [out, lin(mw('wo'), o, d)];
    }
    const [wa, ca, wb, cb, ws] = [mw('wa'), mw('ca'), mw('wb'), mw('cb'), mw('w')];
    const out = new Float64Array(n);
    if (family === 'lrnn-complex') {
      const [wt, ct] = [mw('wt'), mw('ct')];
      for (let j = 0; j < n / 2; j++) {
        const r = Math.exp(-softplus(dot(wa, j, n / 2, u, ca[j])) * Math.exp(ws[j]));
        const t = dot(wt, j, n / 2, u, ct[j]);
        const [pp, qq] = [r * Math.cos(t), r * Math.sin(t)];
        out[2 * j] = pp * s[2 * j] - qq * s[2 * j + 1] + dot(wb, 2 * j, n, u, cb[2 * j]);
        out[2 * j + 1] = qq * s[2 * j] + pp * s[2 * j + 1] + dot(wb, 2 * j + 1, n, u, cb[2 * j + 1]);
      }
      return [out, lin(mw('wo'), out, d)];
    }
    let src = (j: number) => j;
    if (family === 'lrnn-pd') {
      const [wp, cp, perm] = [mw('wp'), mw('cp'), mw('perm')];
      const rows = c.weights[`${p}mix.perm`].shape[0];
      const z = Array.from({ length: rows }, (_, r) => dot(wp, r, rows, u, cp[r]));
      const best = z.indexOf(Math.max(...z));
      src = (j) => perm[best * n + j];
    }
    for (let j = 0; j < n; j++) {
      const decay = Math.exp(-softplus(dot(wa, j, n, u, ca[j])) * Math.exp(ws[j]));
      const gate = family === 'lrnn-pos' ? decay : 2 * decay - 1;
      out[j] = gate * s[src(j)] + dot(wb, j, n, u, cb[j]);
    }
    return [out, lin(mw('wo'), out, d)];
  };
  return (a, h) => {
    let x = w('embed').slice(a * d, (a + 1) * d);
    const next = new Float64Array(L * size);
    for (let l = 0; l < L; l++) {
      const p = `l${l}.`;
      const [s, y] = layer(p, rms(x, `${p}norm1`), h.slice(l * size, (l + 1) * size));
      next.set(s, l * size);
      if (l === L - 1) break;
      x = x.map((v, i) => v + y[i]);
      if (m > 0) {
        const t = lin(w(`${p}mlp.w1`), rms(x, `${p}norm2`), m, w(`${p}mlp.b1`)).map((v) => Math.max(0, v));
        const y2 = lin(w(`${p}mlp.w2`), t, d, w(`${p}mlp.b2`));
        x = x.map((v, i) => v + y2[i]);
      }
    }
    return next;
  };
}
