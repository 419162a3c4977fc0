"""Seeded random weights for any config, for agreement tests (not a training initialisation).

Drawn in param_shapes order from one numpy PCG64 generator, so a config and a seed give the same bytes on
every machine. Scales, by weight role, keep every path of the forward pass exercised:
- matrices N(0, 1/in) (so x·W is O(1) for O(1) x), embed and learned positions N(0, 1) and N(0, 1/4);
- biases U(±0.5) and norm gains U(0.5, 1.5): non-trivial, so a bias or gain applied wrongly shows;
- LSTM: forget-gate bias +1 on top (remember by default), so c_t carries information across steps;
- LRNN gates: wa scaled by 1/2, w U(±0.5), ca chosen so that exp(−softplus(ca)) is spread over
  (0.05, 0.95): gates neither all 0 nor all 1, and lrnn-neg's 2a − 1 takes both signs; lrnn-complex
  angles ct U(±π);
- deltanet: cbeta U(±1), so β is spread over its range rather than pinned at an end;
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
