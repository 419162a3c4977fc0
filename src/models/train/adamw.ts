// AdamW (Loshchilov & Hutter): Adam on the gradient, with the weight decay applied to the weights directly
// (decoupled), not added to the gradient, so the decay is not rescaled by Adam's per-coordinate step size.
// Written on tfjs ops rather than wrapping tf.train.adam because that optimizer has no decoupled decay and
// its learning rate cannot change per step. Gradients are clipped by their global norm first.
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

/** AdamW state for a fixed set of named variables; dispose() frees the moment estimates. */
export class AdamW {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly m: Record<string, tf.Variable> = {};
  private readonly v: Record<string, tf.Variable> = {};
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
      // tf.variable keeps its initial tensor alive as a separate handle; tidy frees that handle.
      this.m[name] = tf.tidy(() => tf.variable(tf.zerosLike(variable), false));
      this.v[name] = tf.tidy(() => tf.variable(tf.zerosLike(variable), false));
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
    const normTensor = tf.tidy(() => tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]))))));
    const gradNorm = normTensor.dataSync()[0];
    normTensor.dispose();
    if (!Number.isFinite(gradNorm)) return { gradNorm };
    const { clip, weightDecay } = this.options;
    const scale = clip > 0 && gradNorm > clip ? clip / gradNorm : 1;
    this.t += 1;
    const { beta1, beta2, epsilon, t } = this;
    const correction1 = 1 - beta1 ** t;
    const correction2 = 1 - beta2 ** t;
    tf.tidy(() => {
      for (const name of names) {
        const w = this.variables[name];
        const g = scale === 1 ? grads[name] : tf.mul(grads[name], scale);
        const m = tf.add(tf.mul(this.m[name], beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[name], beta2), tf.mul(tf.square(g), 1 - beta2));
        this.m[name].assign(m);
        this.v[name].assign(v);
        const update = tf.div(tf.div(m, correction1), tf.add(tf.sqrt(tf.div(v, correction2)), epsilon));
        const decayed = this.decayed[name] && weightDecay > 0 ? tf.mul(w, 1 - lr * weightDecay) : w;
        w.assign(tf.sub(decayed, tf.mul(update, lr)));
      }
    });
    return { gradNorm };
  }

  /** Frees the moment estimates (not the model's variables). */
  dispose(): void {
    for (const name of Object.keys(this.m)) {
      this.m[name].dispose();
      this.v[name].dispose();
    }
  }
}
