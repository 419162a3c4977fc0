// The diagonal recurrences of the LRNN mixers as single tfjs operations with a hand-derived backward
// (fused-op.ts), instead of the ⌈log2 T⌉ levels of small tensor operations of the parallel scan. The
// forward is one pass over the lanes (row r, unit i) of [B, T, n] in plain JavaScript (float64 carries,
// float32 results); the backward is one pass the other way:
//
//   forward   h_t = a_t ⊙ h_{t−1} + b_t,  h_0 = 0
//   backward  g_t = ∂L/∂h_t (total) = dy_t + a_{t+1} ⊙ g_{t+1}  (g_{T+1} = 0)
//             ∂L/∂b_t = g_t,   ∂L/∂a_t = g_t ⊙ h_{t−1}
//
// and for the complex recurrence (lrnn-complex), with G = ∂L/∂Re + i·∂L/∂Im of a real loss L:
//
//   G_t = dY_t + conj(a_{t+1})·G_{t+1},   ∂L/∂b_t = G_t,   ∂L/∂a_t = G_t·conj(h_{t−1}).
//
// The real and the complex kernel share fused-op.ts's wrapper; only the arithmetic of a step differs. The loops
// are written out, not given a per-step callback: the step is a few flops.
// test/models/kernels.test.ts checks both gradients against the tfjs graph of the parallel scan and against
// finite differences, over random shapes.
import * as tf from '@tensorflow/tfjs';
import { giveBack, lastSteps, takeBuffer } from './buffers.js';
import { fusedOp } from './fused-op.js';

/** A [B, T, n] complex tensor as its real and imaginary parts (scan.ts's Complex3D). */
interface ComplexParts {
  re: tf.Tensor3D;
  im: tf.Tensor3D;
}

// The loops are module-level functions, not closures made per call (V8 optimises a function once and keeps
// the code), and walk each row time step by time step over its n contiguous lanes, carries in a float64 array.

/** h_t = a_t ⊙ h_{t−1} + b_t for every lane of [B, T, n] into h. */
function scanForward(av: Float32Array, bv: Float32Array, h: Float32Array, B: number, T: number, n: number): void {
  const carry = new Float64Array(n);
  for (let r = 0; r < B; r++) {
    carry.fill(0);
    for (let t = 0; t < T; t++) {
      const at = (r * T + t) * n;
      for (let i = 0; i < n; i++) {
        const c = av[at + i] * carry[i] + bv[at + i];
        carry[i] = c;
        h[at + i] = c;
      }
    }
  }
}

/** ∂L/∂a and ∂L/∂b of scanForward from dy, given its states h. */
function scanBackward(av: Float32Array, h: Float32Array, dy: Float32Array, da: Float32Array, db: Float32Array, B: number, T: number, n: number): void {
  const g = new Float64Array(n);
  for (let r = 0; r < B; r++) {
    for (let t = T - 1; t >= 0; t--) {
      const at = (r * T + t) * n;
      for (let i = 0; i < n; i++) {
        const gi = dy[at + i] + (t < T - 1 ? av[at + n + i] * g[i] : 0);
        g[i] = gi;
        db[at + i] = gi;
        da[at + i] = t > 0 ? gi * h[at - n + i] : 0;
      }
    }
  }
}

/** All states h_1..h_T of h_t = a_t ⊙ h_{t−1} + b_t, h_0 = 0, as one operation; a, b, result: [B, T, n]. */
export function fusedLinearScan(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const [B, T, n] = a.shape;
  return fusedOp([a, b], [B, T, n], ([av, bv]) => {
    const h = takeBuffer(av.length, false); // scanForward writes every entry
    scanForward(av, bv, h, B, T, n);
    return {
      output: h,
      backward: (dy) => {
        const da = takeBuffer(av.length, false); // scanBackward writes every entry of both
        const db = takeBuffer(av.length, false);
        scanBackward(av, h, dy, da, db, B, T, n);
        return [da, db];
      },
    };
  }) as tf.Tensor3D;
}

/** scanForward of a_t = aTable[ids_t], b_t = bTable[ids_t] (rows of n), read from the tables. */
function lookupForward(ids: Int32Array, at: Float32Array, bt: Float32Array, h: Float32Array, B: number, T: number, n: number): void {
  const carry = new Float64Array(n);
  for (let r = 0; r < B; r++) {
    carry.fill(0);
    for (let t = 0; t < T; t++) {
      const p = r * T + t;
      const row = ids[p] * n;
      const out = p * n;
      for (let i = 0; i < n; i++) {
        const c = at[row + i] * carry[i] + bt[row + i];
        carry[i] = c;
        h[out + i] = c;
      }
    }
  }
}

/** ∂L/∂aTable and ∂L/∂bTable of lookupForward from dy: scanBackward's ∂L/∂a_t and ∂L/∂b_t summed per token (float64).
 *  With lastOnly, dy is ∂L/∂h_T alone ([B, n]: nothing else read h). One loop over a step's lanes does all three
 *  updates (a quarter faster than a loop each). */
function lookupBackward(ids: Int32Array, at: Float32Array, h: Float32Array, dy: Float32Array, lastOnly: boolean, da: Float64Array, db: Float64Array, B: number, T: number, n: number): void {
  const g = new Float64Array(n);
  for (let r = 0; r < B; r++) {
    const first = r * T;
    // t = T − 1: g = dy
    const dyAt = lastOnly ? r * n : (first + T - 1) * n;
    for (let i = 0; i < n; i++) g[i] = dy[dyAt + i];
    for (let p = first + T - 1; p > first; p--) {
      // ∂L/∂b_t += g_t, ∂L/∂a_t += g_t ⊙ h_{t−1}, then g_{t−1} = dy_{t−1} + a_t ⊙ g_t (dy_{t−1} = 0 with lastOnly)
      const row = ids[p] * n;
      const previous = (p - 1) * n;
      const dyPrevious = lastOnly ? -1 : previous;
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        db[row + i] += gi;
        da[row + i] += gi * h[previous + i];
        g[i] = (dyPrevious < 0 ? 0 : dy[dyPrevious + i]) + at[row + i] * gi;
      }
    }
    // t = 0: h_0 = 0, so ∂L/∂b_0 alone
    const row = ids[first] * n;
    for (let i = 0; i < n; i++) db[row + i] += g[i];
  }
}

/** fusedLinearScan(aTable[ids], bTable[ids]) without looking the rows up: tokens ids [B, T] (data, all in
 *  [0, vocab)), tables [vocab, n]; the gradients are the tables' (per-token sums of ∂L/∂a_t and ∂L/∂b_t). With
 *  lastOnly the result is h_T alone, [B, 1, n] (where nothing else reads the states: no [B, T, n] output to copy,
 *  cut and pad back in the backward pass). */
export function fusedLookupScan(ids: tf.Tensor2D, aTable: tf.Tensor2D, bTable: tf.Tensor2D, lastOnly = false): tf.Tensor3D {
  const [B, T] = ids.shape;
  const [vocab, n] = aTable.shape;
  const tokens = Int32Array.from(ids.dataSync());
  if (tokens.some((id) => id < 0 || id >= vocab)) throw new Error(`fusedLookupScan: a token outside [0, ${vocab})`);
  return fusedOp([aTable, bTable], [B, lastOnly ? 1 : T, n], ([av, bv]) => {
    const h = takeBuffer(B * T * n, false); // lookupForward writes every entry
    lookupForward(tokens, av, bv, h, B, T, n);
    return {
      output: lastOnly ? lastSteps(h, B, T, n) : h,
      backward: (dy) => {
        const da = new Float64Array(vocab * n);
        const db = new Float64Array(vocab * n);
        lookupBackward(tokens, av, h, dy, lastOnly, da, db, B, T, n);
        if (lastOnly) giveBack([h]); // the output was a copy: nothing reads h after this
        return [Float32Array.from(da), Float32Array.from(db)];
      },
    };
  }) as tf.Tensor3D;
}

/** The complex recurrence h_t = a_t·h_{t−1} + b_t into out (real parts, then imaginary parts at `half`). */
function complexForward(ar: Float32Array, ai: Float32Array, br: Float32Array, bi: Float32Array, out: Float32Array, B: number, T: number, n: number): void {
  const half = B * T * n;
  const cr = new Float64Array(n);
  const ci = new Float64Array(n);
  for (let r = 0; r < B; r++) {
    cr.fill(0);
    ci.fill(0);
    for (let t = 0; t < T; t++) {
      const at = (r * T + t) * n;
      for (let i = 0; i < n; i++) {
        const k = at + i;
        const hr = cr[i];
        const hi = ci[i];
        const nr = ar[k] * hr - ai[k] * hi + br[k];
        const ni = ar[k] * hi + ai[k] * hr + bi[k];
        cr[i] = nr;
        ci[i] = ni;
        out[k] = nr;
        out[half + k] = ni;
      }
    }
  }
}

/** ∂L/∂a and ∂L/∂b (real and imaginary parts) of complexForward from dy ([2, B, T, n]), given its states. */
function complexBackward(ar: Float32Array, ai: Float32Array, out: Float32Array, dy: Float32Array, grads: Float32Array[], B: number, T: number, n: number): void {
  const [dar, dai, dbr, dbi] = grads;
  const half = B * T * n;
  const gr = new Float64Array(n);
  const gi = new Float64Array(n);
  for (let r = 0; r < B; r++) {
    for (let t = T - 1; t >= 0; t--) {
      const at = (r * T + t) * n;
      for (let i = 0; i < n; i++) {
        const k = at + i;
        // G_t = dY_t + conj(a_{t+1}) G_{t+1}
        let nr = dy[k];
        let ni = dy[half + k];
        if (t < T - 1) {
          nr += ar[k + n] * gr[i] + ai[k + n] * gi[i];
          ni += ar[k + n] * gi[i] - ai[k + n] * gr[i];
        }
        gr[i] = nr;
        gi[i] = ni;
        dbr[k] = nr;
        dbi[k] = ni;
        if (t > 0) {
          // ∂L/∂a_t = G_t · conj(h_{t−1})
          const pr = out[k - n];
          const pi = out[half + k - n];
          dar[k] = nr * pr + ni * pi;
          dai[k] = ni * pr - nr * pi;
        }
      }
    }
  }
}

/** All states of the complex recurrence h_t = a_t·h_{t−1} + b_t, h_0 = 0 (elementwise complex), as one operation. */
export function fusedComplexScan(a: ComplexParts, b: ComplexParts): ComplexParts {
  const [B, T, n] = a.re.shape;
  // One [2, B, T, n] output (real parts, then imaginary parts): a custom gradient has a single output.
  const half = B * T * n;
  const h = fusedOp([a.re, a.im, b.re, b.im], [2, B, T, n], ([ar, ai, br, bi]) => {
    const out = takeBuffer(2 * half);
    complexForward(ar, ai, br, bi, out, B, T, n);
    return {
      output: out,
      backward: (dy) => {
        const grads = [0, 1, 2, 3].map(() => takeBuffer(half));
        complexBackward(ar, ai, out, dy, grads, B, T, n);
        return grads;
      },
    };
  });
  const [re, im] = tf.unstack(h) as [tf.Tensor3D, tf.Tensor3D];
  return { re, im };
}
