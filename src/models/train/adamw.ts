// AdamW (Loshchilov & Hutter): Adam on the gradient, with the weight decay applied to the weights directly
// (decoupled), not added to the gradient, so the decay is not rescaled by Adam's per-coordinate step size.
// Written on tfjs ops rather than wrapping tf.train.adam because that optimizer has no decoupled decay and
// its learning rate cannot change per step. Gradients are clipped by their global norm first.
//
// The update runs in JavaScript over the data (float64 arithmetic, float32 moments and weights), one read of
// each gradient and weight and one assign per weight: as tfjs operations it was a dozen small operations per
// weight, each costing more in dispatch than its few thousand flops.
import * as tf from '@tensorflow/tfjs';

/** Constants of AdamW other than the per-step learning rate. */
export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay λ: w ← w − lr·λ·w each step. */
  weightDecay: number;
  /** Largest global gradient norm; larger gradients are scaled down to it. 0 or Infinity: no clipping. */
  clip: number;
  /** Names that are not decayed (biases, norm gains); default: every weight with fewer than 2 dimensions. */
  noDecay?: (name: string, variable: tf.Variable) => boolean;
}

/** What one update did: the gradient norm before clipping (NaN or Infinity when a gradient is). */
export interface StepReport {
  gradNorm: number;
}

/** The constants of one update of one weight. */
interface UpdateConstants {
  scale: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  correction1: number;
  correction2: number;
  /** 1 − lr·λ for a decayed weight, else 1. */
  decay: number;
  lr: number;
}

/** One AdamW update in place: moments m, v from the gradient g (times scale), then w ← decay·w − lr·m̂/(√v̂ + ε). */
function adamUpdate(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, c: UpdateConstants): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i] * c.scale;
    const mi = c.beta1 * m[i] + (1 - c.beta1) * gi;
    const vi = c.beta2 * v[i] + (1 - c.beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] = c.decay * w[i] - c.lr * (mi / c.correction1 / (Math.sqrt(vi / c.correction2) + c.epsilon));
  }
}

/** AdamW state for a fixed set of named variables; dispose() frees the moment estimates. */
export class AdamW {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly m: Record<string, Float32Array> = {};
  private readonly v: Record<string, Float32Array> = {};
  private readonly decayed: Record<string, boolean> = {};
  private t = 0;

  constructor(
    private readonly variables: Readonly<Record<string, tf.Variable>>,
    private readonly options: AdamWOptions,
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    const noDecay = options.noDecay ?? ((_name: string, v: tf.Variable) => v.shape.length < 2);
    for (const [name, variable] of Object.entries(variables)) {
      this.m[name] = new Float32Array(variable.size);
      this.v[name] = new Float32Array(variable.size);
      this.decayed[name] = !noDecay(name, variable);
    }
  }

  /** Steps taken so far. */
  get iterations(): number {
    return this.t;
  }

  /**
   * Applies one update from gradients by variable name (a missing name gets no update) at learning rate lr.
   * A non-finite gradient norm leaves every variable unchanged, so the caller still holds good weights.
   */
  step(grads: Readonly<Record<string, tf.Tensor>>, lr: number): StepReport {
    const names = Object.keys(this.variables).filter((n) => grads[n] !== undefined);
    const data = names.map((n) => grads[n].dataSync() as Float32Array);
    let squares = 0;
    for (const g of data) for (let i = 0; i < g.length; i++) squares += g[i] * g[i];
    const gradNorm = Math.sqrt(squares);
    if (!Number.isFinite(gradNorm)) return { gradNorm };
    const { clip, weightDecay } = this.options;
    const scale = clip > 0 && gradNorm > clip ? clip / gradNorm : 1;
    this.t += 1;
    const { beta1, beta2, epsilon, t } = this;
    const correction1 = 1 - beta1 ** t;
    const correction2 = 1 - beta2 ** t;
    names.forEach((name, k) => {
      const w = this.variables[name];
      const next = Float32Array.from(w.dataSync() as Float32Array);
      const decay = this.decayed[name] && weightDecay > 0 ? 1 - lr * weightDecay : 1;
      adamUpdate(next, data[k], this.m[name], this.v[name], { scale, beta1, beta2, epsilon, correction1, correction2, decay, lr });
      tf.tidy(() => w.assign(tf.tensor(next, w.shape, 'float32')));
    });
    return { gradNorm };
  }

  /** Drops the moment estimates (not the model's variables); they are plain arrays, so nothing else to free. */
  dispose(): void {
    for (const name of Object.keys(this.m)) {
      this.m[name] = new Float32Array(0);
      this.v[name] = new Float32Array(0);
    }
  }
}
