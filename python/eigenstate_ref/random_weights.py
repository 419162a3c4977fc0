"""Seeded random weights for any config, for agreement tests (not a training initialisation).

Drawn in param_shapes order from one numpy PCG64 generator, so a config and a seed give the same bytes on
every machine. Scales, by weight role, keep every path of the forward pass exercised:
- matrices N(0, 1/in) (so x·W is O(1) for O(1) x), embed and learned positions N(0, 1) and N(0, 1/4);
- biases U(±0.5) and norm gains U(0.5, 1.5): non-trivial, so a bias or gain applied wrongly shows;
- LSTM: forget-gate bias +1 on top (remember by default), so c_t carries information across steps;
- LRNN gates: wa scaled by 1/2, w U(±0.5), ca chosen so that exp(−softplus(ca)) is spread over
  (0.05, 0.95): gates neither all 0 nor all 1, and lrnn-neg's 2a − 1 takes both signs; lrnn-complex
  angles ct U(±π);
- lrnn-pd: the gates as lrnn-neg; perm row 0 the identity, the others seeded uniform permutations (as
  eigenstate's init); layer 0's wp column c is 3·û_c, û_c the unit direction of symbol c's normalised
  embedding (norm1 applied), so z_c = 3|u_s|·cos(u_s, u_c) is largest at c = s: symbol s picks row s
  (cp U(±0.25) cannot overturn it unless two embeddings nearly align); deeper layers' wp N(0, 4/in), so
  their selection changes with the state;
- deltanet: cbeta U(±1), so β is spread over its range rather than pinned at an end; the short convolution's
  kernels N(0, 1/K) with the current step's tap (the last) + 1, so the convolved q, k, v stay near the
  projections they convolve while every tap counts;
- out.w N(0, 1/d), so logits are O(1).
"""

from __future__ import annotations

import math

import numpy as np

from .config import ModelConfig, param_shapes


def random_weights(c: ModelConfig, seed: int) -> dict[str, np.ndarray]:
    """Seeded float32 weights for every name of param_shapes(c), shapes exactly as there."""
    c.check("random")
    rng = np.random.default_rng(seed)
    out: dict[str, np.ndarray] = {}
    for name, shape in param_shapes(c):
        role = name.rsplit(".", 1)[-1]
        if name == "embed":
            x = rng.normal(0.0, 1.0, shape)
        elif name == "pos":
            x = rng.normal(0.0, 0.5, shape)
        elif role.startswith("norm"):
            x = rng.uniform(0.5, 1.5, shape)
        elif name.endswith("mix.ca"):
            gate = rng.uniform(0.05, 0.95, shape)  # exp(−softplus(ca)) = gate
            x = np.log(np.expm1(-np.log(gate)))
        elif name.endswith("mix.w"):
            x = rng.uniform(-0.5, 0.5, shape)
        elif name.endswith("mix.ct"):
            x = rng.uniform(-math.pi, math.pi, shape)
        elif name.endswith("mix.perm"):
            x = np.stack([np.arange(shape[1])] + [rng.permutation(shape[1]) for _ in range(shape[0] - 1)])
        elif name == "l0.mix.wp":
            x = _symbol_aligned(c, out)
        elif name.endswith("mix.wp"):
            x = rng.normal(0.0, 2.0 / math.sqrt(shape[0]), shape)
        elif name.endswith("mix.cp"):
            x = rng.uniform(-0.25, 0.25, shape)
        elif name.rsplit(".", 1)[-1] in ("convq", "convk", "convv"):
            x = rng.normal(0.0, 1.0 / math.sqrt(shape[1]), shape)
            x[:, -1] += 1.0
        elif name.endswith("mix.cbeta"):
            x = rng.uniform(-1.0, 1.0, shape)
        elif len(shape) == 2:
            x = rng.normal(0.0, 1.0 / math.sqrt(shape[0]), shape)
            if name.endswith("mix.wa"):
                x = x / 2
        else:  # biases: b, cb, mlp.b1/b2, out.b
            x = rng.uniform(-0.5, 0.5, shape)
            if name.endswith("mix.b") and c.family == "lstm":
                x[c.state : 2 * c.state] += 1.0  # gate order i, f, g, o
        out[name] = np.asarray(x, dtype=np.float32)
    return out


def _symbol_aligned(c: ModelConfig, drawn: dict[str, np.ndarray]) -> np.ndarray:
    """[d, vocab]: column s is 3 × the unit vector of symbol s's layer-0 mixer input (its normalised embedding)."""
    e = drawn["embed"].astype(np.float64)
    u = e / np.sqrt(np.mean(e * e, axis=1, keepdims=True) + 1e-6)
    if c.norm == "rms":
        u = u * drawn["l0.norm1"].astype(np.float64)
    return (3.0 * u / np.linalg.norm(u, axis=1, keepdims=True)).T
