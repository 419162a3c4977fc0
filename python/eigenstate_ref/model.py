"""The forward pass of every eigenstate model family, written once against the Python array API.

The mathematics is the header of eigenstate's src/models/config.ts; weight names and shapes are
params.ts (row-major [in, out], applied as x·W). Every function takes its namespace from its arguments
(`array_namespace`), so the same code runs on numpy, jax.numpy and other array-API libraries. The
recurrences step through time with `scan`: jax.lax.scan on JAX (jit-friendly, one compiled step), a
plain Python loop elsewhere (one step per symbol, in the arrays' own dtype).
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping, Sequence

from array_api_compat import array_namespace, is_jax_namespace

from .config import InputError, ModelConfig

NORM_EPS = 1e-6  # inside the RMS norm and l2norm (config.ts)

Array = Any
Weights = Mapping[str, Array]


# ---------------------------------------------------------------- shared pieces


def scan(xp: Any, step: Callable, carry: Any, xs: Sequence[Array]) -> Array:
    """ys stacked over time for step(carry, (x_t, ...)) -> (carry, y_t); xs are time-major [T, ...]."""
    xs = tuple(xs)
    if is_jax_namespace(xp):
        import jax

        _, ys = jax.lax.scan(step, carry, xs)
        return ys
    ys = []
    for t in range(xs[0].shape[0]):
        carry, y = step(carry, tuple(x[t, ...] for x in xs))
        ys.append(y)
    return xp.stack(ys, axis=0)


def time_major(x: Array) -> Array:
    """[B, T, ...] -> [T, B, ...]."""
    xp = array_namespace(x)
    return xp.permute_dims(x, (1, 0) + tuple(range(2, x.ndim)))


def batch_major(x: Array) -> Array:
    """[T, B, ...] -> [B, T, ...] (its own inverse)."""
    return time_major(x)


def sigmoid(z: Array) -> Array:
    """1 / (1 + e^−z), without overflow for large |z|."""
    xp = array_namespace(z)
    e = xp.exp(-xp.abs(z))
    return xp.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softplus(z: Array) -> Array:
    """log(1 + e^z), without overflow for large z."""
    xp = array_namespace(z)
    return xp.maximum(z, xp.zeros_like(z)) + xp.log1p(xp.exp(-xp.abs(z)))


def rms_norm(x: Array, g: Array | None) -> Array:
    """x / sqrt(mean(x²) + 1e-6) ⊙ g over the last axis; the identity when g is None (norm 'none')."""
    if g is None:
        return x
    xp = array_namespace(x, g)
    return x / xp.sqrt(xp.mean(x * x, axis=-1, keepdims=True) + NORM_EPS) * g


def l2norm(z: Array) -> Array:
    """z / sqrt(|z|² + 1e-6) over the last axis."""
    xp = array_namespace(z)
    return z / xp.sqrt(xp.sum(z * z, axis=-1, keepdims=True) + NORM_EPS)


def sinusoidal_positions(xp: Any, length: int, width: int, dtype: Any) -> Array:
    """Row p (0-based): [2i] = sin(p / 10000^(2i/d)), [2i+1] = cos(same); computed in float64, then cast."""
    rows = []
    for p in range(length):
        row = []
        for j in range(width):
            angle = p / math.pow(10000.0, (j - j % 2) / width)
            row.append(math.sin(angle) if j % 2 == 0 else math.cos(angle))
        rows.append(row)
    return xp.asarray(rows, dtype=dtype)


def column(x: Array) -> Array:
    """[..., e] -> [..., e, 1]."""
    return array_namespace(x).expand_dims(x, axis=-1)


def row(x: Array) -> Array:
    """[..., e] -> [..., 1, e]."""
    return array_namespace(x).expand_dims(x, axis=-2)


# ---------------------------------------------------------------- mixers: u [B, T, d] -> y [B, T, d]
# `w` maps a mixer weight's short name ('wx') to its array.


def rnn_tanh(u: Array, w: Weights, c: ModelConfig) -> Array:
    """h_t = tanh(u_t·wx + h_{t−1}·wh + b), y_t = h_t·wo, h_0 = 0."""
    xp = array_namespace(u)
    pre = time_major(u @ w["wx"] + w["b"])
    wh = w["wh"]

    def step(h, xs):
        (x,) = xs
        h = xp.tanh(x + h @ wh)
        return h, h

    h0 = xp.zeros((u.shape[0], c.state), dtype=u.dtype)
    return batch_major(scan(xp, step, h0, (pre,))) @ w["wo"]


def lstm(u: Array, w: Weights, c: ModelConfig) -> Array:
    """[i f g o] = u_t·wx + h_{t−1}·wh + b; c_t = σ(f)c_{t−1} + σ(i)tanh(g); h_t = σ(o)tanh(c_t); y_t = h_t·wo."""
    xp = array_namespace(u)
    n = c.state
    pre = time_major(u @ w["wx"] + w["b"])
    wh = w["wh"]

    def step(carry, xs):
        h, cell = carry
        (x,) = xs
        z = x + h @ wh
        i, f, g, o = z[:, 0:n], z[:, n : 2 * n], z[:, 2 * n : 3 * n], z[:, 3 * n : 4 * n]
        cell = sigmoid(f) * cell + sigmoid(i) * xp.tanh(g)
        h = sigmoid(o) * xp.tanh(cell)
        return (h, cell), h

    zero = xp.zeros((u.shape[0], n), dtype=u.dtype)
    return batch_major(scan(xp, step, (zero, zero), (pre,))) @ w["wo"]


def decay_gate(u: Array, w: Weights) -> Array:
    """exp(−softplus(u·wa + ca)·exp(w)) ∈ (0, 1): the LRNN gate or modulus before any sign change."""
    xp = array_namespace(u)
    return xp.exp(-softplus(u @ w["wa"] + w["ca"]) * xp.exp(w["w"]))


def lrnn(u: Array, w: Weights, c: ModelConfig) -> Array:
    """h_t = a_t ⊙ h_{t−1} + (u_t·wb + cb), a_t the decay gate (pos) or 2·gate − 1 (neg); y_t = h_t·wo."""
    xp = array_namespace(u)
    gate = decay_gate(u, w)
    a = gate if c.family == "lrnn-pos" else 2 * gate - 1
    b = u @ w["wb"] + w["cb"]

    def step(h, xs):
        at, bt = xs
        h = at * h + bt
        return h, h

    h0 = xp.zeros((u.shape[0], c.state), dtype=u.dtype)
    return batch_major(scan(xp, step, h0, (time_major(a), time_major(b)))) @ w["wo"]


def lrnn_pd(u: Array, w: Weights, c: ModelConfig) -> Array:
    """c* = first argmax of u·wp + cp (hard); h_t,i = a_t,i·h_{t−1, perm[c*][i]} + (u_t·wb + cb)_i, a as lrnn-neg; y_t = h_t·wo.

    The selection and the gather are array ops (argmax, take, take_along_axis), so the step jit-compiles;
    z is in the compute dtype (float64 or float32), ties go to the lowest c (argmax's first occurrence).
    """
    xp = array_namespace(u)
    bsz, t = u.shape[0], u.shape[1]
    choice = xp.argmax(u @ w["wp"] + w["cp"], axis=-1)  # [B, T]
    table = xp.astype(w["perm"], choice.dtype)  # float integers, exact; argmax's index dtype suits every library
    sources = xp.reshape(xp.take(table, xp.reshape(choice, (bsz * t,)), axis=0), (bsz, t, c.state))
    a = 2 * decay_gate(u, w) - 1
    b = u @ w["wb"] + w["cb"]

    def step(h, xs):
        src, at, bt = xs
        h = at * xp.take_along_axis(h, src, axis=-1) + bt  # (P_{c*} h)_i = h_{perm[c*][i]}
        return h, h

    h0 = xp.zeros((bsz, c.state), dtype=u.dtype)
    return batch_major(scan(xp, step, h0, (time_major(sources), time_major(a), time_major(b)))) @ w["wo"]


def lrnn_complex(u: Array, w: Weights, c: ModelConfig) -> Array:
    """Block j: (h_2j, h_2j+1) ← r·R(θ)(h_2j, h_2j+1) + (u·wb + cb)_(2j, 2j+1); y_t = h_t·wo (state interleaved re, im)."""
    xp = array_namespace(u)
    bsz, t = u.shape[0], u.shape[1]
    m = c.state // 2
    r = decay_gate(u, w)
    theta = u @ w["wt"] + w["ct"]
    cos, sin = r * xp.cos(theta), r * xp.sin(theta)
    b = xp.reshape(u @ w["wb"] + w["cb"], (bsz, t, m, 2))
    bre, bim = b[..., 0], b[..., 1]

    def step(carry, xs):
        hre, him = carry
        ct, st, bre_t, bim_t = xs
        # r·R(θ)(x, y) = (x·r cos θ − y·r sin θ, x·r sin θ + y·r cos θ)
        hre, him = ct * hre - st * him + bre_t, st * hre + ct * him + bim_t
        return (hre, him), xp.stack([hre, him], axis=-1)

    zero = xp.zeros((bsz, m), dtype=u.dtype)
    pairs = scan(xp, step, (zero, zero), tuple(time_major(x) for x in (cos, sin, bre, bim)))  # [T, B, m, 2]
    return xp.reshape(batch_major(pairs), (bsz, t, c.state)) @ w["wo"]


def short_conv_silu(x: Array, w: Array) -> Array:
    """silu(c), c_t,i = Σ_j w[i, j]·x_{t−K+1+j},i over x [B, T, n] (zeros before the first step), w [n, K]."""
    xp = array_namespace(x, w)
    bsz, t, n = x.shape
    k = w.shape[1]
    padded = xp.concat([xp.zeros((bsz, k - 1, n), dtype=x.dtype), x], axis=1)
    c = padded[:, 0:t, :] * w[:, 0]
    for j in range(1, k):
        c = c + padded[:, j : j + t, :] * w[:, j]
    return c * sigmoid(c)


def deltanet(u: Array, w: Weights, c: ModelConfig) -> Array:
    """Per head (e = n/H, head-major columns): S_t = S_{t−1}(I − β k kᵀ) + β v kᵀ, y_t = concat_heads(S_t q_t)·wo.

    With a short convolution (c.conv = K > 0) each projection is short_conv_silu'd before the heads.
    """
    xp = array_namespace(u)
    bsz, t = u.shape[0], u.shape[1]
    h, e = c.heads, c.state // c.heads

    def heads(x: Array) -> Array:  # [B, T, H·e] -> [T, B, H, e]
        return time_major(xp.reshape(x, (bsz, t, h, e)))

    def projected(which: str) -> Array:
        z = u @ w["w" + which]
        return short_conv_silu(z, w["conv" + which]) if c.conv > 0 else z

    k = l2norm(heads(projected("k")))
    q = l2norm(heads(projected("q")))
    v = heads(projected("v"))
    beta = sigmoid(u @ w["wbeta"] + w["cbeta"])  # [B, T, H]
    if c.family == "deltanet-neg":
        beta = 2 * beta
    beta = time_major(beta)

    def step(s, xs):
        kt, qt, vt, bt = xs
        # S(I − β k kᵀ) + β v kᵀ = S + β (v − S k) kᵀ
        sk = (s @ column(kt))[..., 0]
        s = s + column(xp.expand_dims(bt, axis=-1) * (vt - sk)) * row(kt)
        return s, (s @ column(qt))[..., 0]

    s0 = xp.zeros((bsz, h, e, e), dtype=u.dtype)
    ys = scan(xp, step, s0, (k, q, v, beta))  # [T, B, H, e]
    return xp.reshape(batch_major(ys), (bsz, t, c.state)) @ w["wo"]


def attention(u: Array, w: Weights, c: ModelConfig) -> Array:
    """Causal softmax attention, H heads of d/H (head-major), scores q·kᵀ/sqrt(d/H); y = concat_heads(softmax·v)·wo."""
    xp = array_namespace(u)
    bsz, t, d = u.shape
    h = c.heads

    def heads(x: Array) -> Array:  # [B, T, d] -> [B, H, T, d/H]
        return xp.permute_dims(xp.reshape(x, (bsz, t, h, d // h)), (0, 2, 1, 3))

    q, k, v = heads(u @ w["wq"]), heads(u @ w["wk"]), heads(u @ w["wv"])
    scores = (q @ xp.permute_dims(k, (0, 1, 3, 2))) / math.sqrt(d / h)  # [B, H, T, T]
    i = xp.arange(t)
    causal = xp.reshape(i, (t, 1)) >= xp.reshape(i, (1, t))
    scores = xp.where(causal, scores, xp.asarray(-math.inf, dtype=scores.dtype))
    scores = scores - xp.max(scores, axis=-1, keepdims=True)
    p = xp.exp(scores)
    p = p / xp.sum(p, axis=-1, keepdims=True)
    y = xp.reshape(xp.permute_dims(p @ v, (0, 2, 1, 3)), (bsz, t, d))
    return y @ w["wo"]


MIXERS: dict[str, Callable[[Array, Weights, ModelConfig], Array]] = {
    "rnn-tanh": rnn_tanh,
    "lstm": lstm,
    "lrnn-pos": lrnn,
    "lrnn-neg": lrnn,
    "lrnn-complex": lrnn_complex,
    "lrnn-pd": lrnn_pd,
    "deltanet-pos": deltanet,
    "deltanet-neg": deltanet,
    "transformer": attention,
}


# ---------------------------------------------------------------- the network


def embed(c: ModelConfig, weights: Weights, tokens: Array) -> Array:
    """x_t = embed[s_t] (+ pos[t−1] for a transformer): [B, T] integer tokens -> [B, T, d]."""
    xp = array_namespace(weights["embed"], tokens)
    bsz, t = tokens.shape
    if t < 1:
        raise InputError("tokens: empty words are not fed to the network (length 0)")
    table = weights["embed"]
    x = xp.reshape(xp.take(table, xp.reshape(tokens, (bsz * t,)), axis=0), (bsz, t, c.width))
    if c.positions == "learned":
        if t > c.max_len:
            raise InputError(f"tokens: length {t} exceeds the learned positions (config.maxLen {c.max_len})")
        x = x + weights["pos"][0:t, :]
    elif c.positions == "sinusoidal":
        x = x + sinusoidal_positions(xp, t, c.width, table.dtype)
    return x


def features(c: ModelConfig, weights: Weights, tokens: Array) -> Array:
    """The normalised final residual stream at every position (the input of out.w): [B, T, d]."""
    rms = c.norm == "rms"
    mixer = MIXERS[c.family]
    x = embed(c, weights, tokens)
    for l in range(c.layers):
        p = f"l{l}."
        mix = {name[len(p) + 4 :]: v for name, v in weights.items() if name.startswith(p + "mix.")}
        x = x + mixer(rms_norm(x, weights[p + "norm1"] if rms else None), mix, c)
        if c.mlp > 0:
            u = rms_norm(x, weights[p + "norm2"] if rms else None)
            hidden = u @ weights[p + "mlp.w1"] + weights[p + "mlp.b1"]
            hidden = array_namespace(hidden).maximum(hidden, array_namespace(hidden).zeros_like(hidden))
            x = x + (hidden @ weights[p + "mlp.w2"] + weights[p + "mlp.b2"])
    return rms_norm(x, weights["normf"] if rms else None)


def forward(c: ModelConfig, weights: Weights, tokens: Array, output: str | None = None) -> Array:
    """Logits for integer tokens [B, T] (T >= 1): [B, C] at the last position ('last') or [B, T, C] ('every').

    `output` overrides the config's readout (e.g. 'every' gives every prefix's verdict of a causal model).
    """
    logits = features(c, weights, tokens) @ weights["out.w"] + weights["out.b"]
    if (output or c.output) == "every":
        return logits
    return logits[:, -1, :]
