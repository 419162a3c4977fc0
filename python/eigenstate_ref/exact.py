"""Logits under eigenstate's finite-precision semantics at fp32 (docs/semantics.md; the rules in the header
of src/precision/machine.ts), recurrent families only, written from those rules.

Stored values are float32 numbers, held here as Python floats (which hold every float32 exactly).
- Weights are stored values (a float32 file's weights are already float32).
- An affine stored value (a projection, a state update, a residual sum, an MLP unit, a logit) is an exact
  sum of exact products of stored values, rounded once to float32, half to even: the sum is taken in
  Python integers (every float32 is an integer multiple of 2^-149, so a product of k of them is one of
  2^-149k) and rounded from the exact integer.
- A nonlinear stored value is evaluated in float64 on the exact pre-activation converted to the nearest
  float64, then rounded once to float32. Where the rules leave the float64 formula open (the RMS norm,
  l2norm, the gate formulas), this follows eigenstate's executor (python/README.md lists each such place).
- −0 is stored as +0.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .config import InputError, ModelConfig

NORM_EPS = 1e-6
UNIT = 149  # every float32 is an integer multiple of 2^-149


class Unsupported(InputError):
    """The model or word leaves what this reference implements (e.g. a stored value overflows float32)."""


def fix(x: float) -> int:
    """The float32 value x as the integer x·2^149 (exact)."""
    if not math.isfinite(x):
        raise Unsupported(f"exact-fp32: a stored value is {x} (non-finite values are not implemented here)")
    return int(x * 2.0**UNIT)


def round_exact(n: int, scale: int) -> float:
    """n·2^−scale rounded once to float32, half to even; ±inf beyond float32's range; −0 as +0."""
    if n == 0:
        return 0.0
    sign = -1.0 if n < 0 else 1.0
    m = -n if n < 0 else n
    top = m.bit_length() - 1 - scale  # 2^top <= value < 2^(top+1)
    q = max(top - 23, -149)  # the float32 ulp at that magnitude (subnormals: 2^-149)
    shift = scale + q
    if shift > 0:
        k = m >> shift
        rem = m - (k << shift)
        half = 1 << (shift - 1)
        if rem > half or (rem == half and k & 1):
            k += 1
    else:
        k = m << -shift
    if q > 104 or (q == 104 and k >= 1 << 24):  # at or past 2^128: beyond float32's largest (2^24 − 1)·2^104
        return sign * math.inf
    return sign * math.ldexp(k, q) + 0.0


def to_double(n: int, scale: int) -> float:
    """n·2^−scale as the nearest float64 (Python's int true division is correctly rounded)."""
    return n / (1 << scale)


def round32(x: float) -> float:
    """A float64 rounded once to float32 (half to even), −0 as +0."""
    with np.errstate(over="ignore"):
        return float(np.float32(x)) + 0.0


def sigmoid(z: float) -> float:
    """1 / (1 + e^−z) in float64 (the formula eigenstate's executor uses)."""
    try:
        return 1.0 / (1.0 + math.exp(-z))
    except OverflowError:
        return 0.0


def softplus(z: float) -> float:
    """log(1 + e^z) in float64 without overflow (eigenstate's formula)."""
    return z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))


class Vec:
    """Stored values: floats (for float64 formulas) and their fixed-point integers (for exact sums)."""

    __slots__ = ("f", "i")

    def __init__(self, values: Sequence[float]):
        self.f = list(values)
        self.i = [fix(v) for v in self.f]


def columns(w: np.ndarray) -> list[list[int]]:
    """A stored [in, out] matrix as one integer list per output column."""
    return [[fix(float(x)) for x in w[:, j]] for j in range(w.shape[1])]


def dot(col: list[int], x: list[int]) -> int:
    """Σ col_i·x_i exactly, at scale 2^-298."""
    return sum(a * b for a, b in zip(col, x, strict=True))


def affine(cols: list[list[int]], x: Vec, bias: list[int] | None) -> list[int]:
    """Exact x·W (+ c) per output, at scale 2^-298."""
    if bias is None:
        return [dot(c, x.i) for c in cols]
    return [dot(c, x.i) + (b << UNIT) for c, b in zip(cols, bias, strict=True)]


def stored(ns: list[int], scale: int = 2 * UNIT) -> Vec:
    return Vec([round_exact(n, scale) for n in ns])


def rms_norm(x: Vec, g: list[float] | None) -> Vec:
    """round((x_i·g_i)·inv) with inv = 1/sqrt(mean(x²) + 1e-6) in float64, mean(x²) from the exact Σx²."""
    if g is None:
        return x
    sq = to_double(sum(v * v for v in x.i), 2 * UNIT)
    inv = 1 / math.sqrt(sq / len(x.f) + NORM_EPS)
    return Vec([round32(v * gi * inv) for v, gi in zip(x.f, g, strict=True)])


class Layer:
    """One recurrent layer's weights (integers for exact sums, floats for float64 formulas)."""

    def __init__(self, c: ModelConfig, weights: dict[str, np.ndarray], prefix: str):
        rms = c.norm == "rms"
        mix = {k[len(prefix) + 4 :]: np.asarray(v, dtype=np.float32) for k, v in weights.items() if k.startswith(prefix + "mix.")}
        self.norm1 = [float(v) for v in weights[prefix + "norm1"]] if rms else None
        perm = mix.pop("perm", None)  # lrnn-pd's index table: never a stored value, never rounded
        self.perm = [[int(i) for i in r] for r in perm] if perm is not None else []
        self.cols = {k: columns(v) for k, v in mix.items() if v.ndim == 2}
        self.vec_i = {k: [fix(float(x)) for x in v] for k, v in mix.items() if v.ndim == 1}
        self.vec_f = {k: [float(x) for x in v] for k, v in mix.items() if v.ndim == 1}
        self.mlp = None
        if c.mlp > 0:
            p = prefix + "mlp."
            self.mlp = ([float(v) for v in weights[prefix + "norm2"]] if rms else None,
                        columns(weights[p + "w1"]), [fix(float(v)) for v in weights[p + "b1"]],
                        columns(weights[p + "w2"]), [fix(float(v)) for v in weights[p + "b2"]])


class ExactNetwork:
    """A recurrent network at fp32 under the exact semantics; the state is every layer's stored state."""

    def __init__(self, c: ModelConfig, weights: dict[str, np.ndarray]):
        if c.family == "transformer":
            raise Unsupported("exact-fp32: recurrent families only (a transformer's state is its whole prefix)")
        self.c = c
        w32 = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self.embed = [[float(x) for x in row] for row in w32["embed"]]
        self.layers = [Layer(c, w32, f"l{l}.") for l in range(c.layers)]
        self.normf = [float(v) for v in w32["normf"]] if c.norm == "rms" else None
        self.out_w = columns(w32["out.w"])
        self.out_b = [fix(float(v)) for v in w32["out.b"]]
        self.ew = [[math.exp(x) for x in layer.vec_f.get("w", [])] for layer in self.layers]

    def initial(self) -> list[list[int]]:
        """Zero states, as fixed-point integers."""
        c = self.c
        # deltanet with a short convolution of K: S, then K − 1 rows of stored projections [pq | pk | pv], then q
        delta = c.heads * (c.state // c.heads) ** 2 + ((c.conv - 1) * 3 * c.state + c.state if c.conv > 0 else 0)
        size = {"lstm": 2 * c.state, "deltanet-pos": delta, "deltanet-neg": delta}.get(c.family, c.state)
        return [[0] * size for _ in self.layers]

    def step(self, symbol: int, state: list[list[int]]) -> tuple[list[list[int]], list[float]]:
        """The next state and the stored logits at this position."""
        x = Vec(self.embed[symbol])
        new_state = []
        for l, layer in enumerate(self.layers):
            u = rms_norm(x, layer.norm1)
            h, y = self.mixer(l, layer, u, state[l])
            new_state.append(h)
            x = stored([a + b for a, b in zip(x.i, y.i, strict=True)], UNIT)
            if layer.mlp is not None:
                norm2, w1, b1, w2, b2 = layer.mlp
                v = rms_norm(x, norm2)
                hidden = Vec([max(0.0, z) for z in stored(affine(w1, v, b1)).f])
                out = stored(affine(w2, hidden, b2))
                x = stored([a + b for a, b in zip(x.i, out.i, strict=True)], UNIT)
        f = rms_norm(x, self.normf)
        return new_state, stored(affine(self.out_w, f, self.out_b)).f

    def mixer(self, l: int, layer: Layer, u: Vec, h: list[int]) -> tuple[list[int], Vec]:
        """(the layer's new state as integers, the stored mixer output y)."""
        fam, n = self.c.family, self.c.state
        cols, vi = layer.cols, layer.vec_i
        if fam == "rnn-tanh":
            z = [a + dot(c, h) for a, c in zip(affine(cols["wx"], u, vi["b"]), cols["wh"], strict=True)]
            hn = Vec([round32(math.tanh(to_double(v, 2 * UNIT))) for v in z])
            return hn.i, stored(affine(cols["wo"], hn, None))
        if fam == "lstm":
            hp, cp = h[:n], h[n:]
            pre = [to_double(a + dot(c, hp), 2 * UNIT) for a, c in zip(affine(cols["wx"], u, vi["b"]), cols["wh"], strict=True)]
            gi = Vec([round32(sigmoid(z)) for z in pre[0:n]])
            gf = Vec([round32(sigmoid(z)) for z in pre[n : 2 * n]])
            gg = Vec([round32(math.tanh(z)) for z in pre[2 * n : 3 * n]])
            go = Vec([round32(sigmoid(z)) for z in pre[3 * n : 4 * n]])
            cell = stored([gf.i[j] * cp[j] + gi.i[j] * gg.i[j] for j in range(n)])
            tc = Vec([round32(math.tanh(v)) for v in cell.f])
            hn = stored([go.i[j] * tc.i[j] for j in range(n)])
            return hn.i + cell.i, stored(affine(cols["wo"], hn, None))
        if fam in ("lrnn-pos", "lrnn-neg"):
            z = [to_double(v, 2 * UNIT) for v in affine(cols["wa"], u, vi["ca"])]
            decay = [math.exp(-softplus(zj) * ew) for zj, ew in zip(z, self.ew[l], strict=True)]
            a = Vec([round32(2 * dj - 1 if fam == "lrnn-neg" else dj) for dj in decay])
            b = stored(affine(cols["wb"], u, vi["cb"]))
            hn = stored([a.i[j] * h[j] + (b.i[j] << UNIT) for j in range(n)])
            return hn.i, stored(affine(cols["wo"], hn, None))
        if fam == "lrnn-pd":
            z = stored(affine(cols["wp"], u, vi["cp"])).f  # stored (rounded) before the argmax
            choice = 0
            for k in range(1, len(z)):  # the first argmax: ties go to the lowest c
                if z[k] > z[choice]:
                    choice = k
            src = layer.perm[choice]
            pre = [to_double(v, 2 * UNIT) for v in affine(cols["wa"], u, vi["ca"])]
            a = Vec([round32(2 * math.exp(-softplus(zj) * ew) - 1) for zj, ew in zip(pre, self.ew[l], strict=True)])
            b = stored(affine(cols["wb"], u, vi["cb"]))
            hn = stored([a.i[j] * h[src[j]] + (b.i[j] << UNIT) for j in range(n)])
            return hn.i, stored(affine(cols["wo"], hn, None))
        if fam == "lrnn-complex":
            z = [to_double(v, 2 * UNIT) for v in affine(cols["wa"], u, vi["ca"])]
            theta = [to_double(v, 2 * UNIT) for v in affine(cols["wt"], u, vi["ct"])]
            r = [math.exp(-softplus(zj) * ew) for zj, ew in zip(z, self.ew[l], strict=True)]
            p = Vec([round32(rj * math.cos(t)) for rj, t in zip(r, theta, strict=True)])
            q = Vec([round32(rj * math.sin(t)) for rj, t in zip(r, theta, strict=True)])
            b = stored(affine(cols["wb"], u, vi["cb"]))
            sums = []
            for j in range(n // 2):
                h0, h1 = h[2 * j], h[2 * j + 1]
                sums.append(p.i[j] * h0 - q.i[j] * h1 + (b.i[2 * j] << UNIT))
                sums.append(q.i[j] * h0 + p.i[j] * h1 + (b.i[2 * j + 1] << UNIT))
            hn = stored(sums)
            return hn.i, stored(affine(cols["wo"], hn, None))
        return self.deltanet(layer, u, h)

    def deltanet(self, layer: Layer, u: Vec, state: list[int]) -> tuple[list[int], Vec]:
        c = self.c
        heads, e, n = c.heads, c.state // c.heads, c.state
        cols, vi = layer.cols, layer.vec_i
        s = state[: heads * e * e]
        tail: list[int] = []

        def normed(w: list[list[int]]) -> Vec:
            out: list[float] = []
            for hd in range(heads):
                raw = [to_double(dot(w[hd * e + i], u.i), 2 * UNIT) for i in range(e)]
                sq = 0.0
                for v in raw:
                    sq += v * v
                inv = 1 / math.sqrt(sq + NORM_EPS)
                out.extend(round32(v * inv) for v in raw)
            return Vec(out)

        if c.conv > 0:
            # stored projections p, the convolution as an exact sum over the window and p, SiLU and l2norm in
            # float64 (eigenstate's precision/exec/deltanet.ts); the window moves on by one row
            kk = c.conv
            window = state[heads * e * e : heads * e * e + (kk - 1) * 3 * n]
            p = [x for name in ("wq", "wk", "wv") for x in stored(affine(cols[name], u, None)).i]
            act = []
            for ch in range(3 * n):
                taps = cols[("convq", "convk", "convv")[ch // n]]  # taps[j][i]: tap j of channel i
                i = ch % n
                total = sum(taps[j][i] * window[j * 3 * n + ch] for j in range(kk - 1)) + taps[kk - 1][i] * p[ch]
                z = to_double(total, 2 * UNIT)
                act.append(z * sigmoid(z))

            def unit(a: list[float]) -> Vec:
                out: list[float] = []
                for hd in range(heads):
                    sq = 0.0
                    for x in a[hd * e : (hd + 1) * e]:
                        sq += x * x
                    inv = 1 / math.sqrt(sq + NORM_EPS)
                    out.extend(round32(x * inv) for x in a[hd * e : (hd + 1) * e])
                return Vec(out)

            q = unit(act[0:n])
            k = unit(act[n : 2 * n])
            v = Vec([round32(x) for x in act[2 * n : 3 * n]])
            tail = (window + p)[3 * n :] + q.i
        else:
            k = normed(cols["wk"])
            q = normed(cols["wq"])
            v = stored(affine(cols["wv"], u, None))
        new = list(s)
        for hd in range(heads):
            sig = sigmoid(to_double(dot(cols["wbeta"][hd], u.i) + (vi["cbeta"][hd] << UNIT), 2 * UNIT))
            beta = fix(round32(2 * sig if c.family == "deltanet-neg" else sig))
            base = hd * e * e
            kh = k.i[hd * e : (hd + 1) * e]
            # the delta residual r = v − S k, a stored value
            r = stored([(v.i[hd * e + i] << UNIT) - dot(s[base + i * e : base + (i + 1) * e], kh) for i in range(e)])
            for i in range(e):
                for j in range(e):
                    at = base + i * e + j
                    new[at] = fix(round_exact((s[at] << 2 * UNIT) + beta * r.i[i] * kh[j], 3 * UNIT))
        o: list[int] = []
        for hd in range(heads):
            base = hd * e * e
            qh = q.i[hd * e : (hd + 1) * e]
            o.extend(dot(new[base + i * e : base + (i + 1) * e], qh) for i in range(e))
        return new + tail, stored(affine(cols["wo"], stored(o), None))


def exact_logits(c: ModelConfig, weights: dict[str, np.ndarray], word: list[int], net: ExactNetwork | None = None) -> list:
    """The stored logits of a word at fp32: [classes] ('last') or [T][classes] ('every')."""
    net = net or ExactNetwork(c, weights)
    state = net.initial()
    rows = []
    for symbol in word:
        state, logits = net.step(symbol, state)
        for x in logits:
            if not math.isfinite(x):
                raise Unsupported(f"exact-fp32: a logit is {x}, which JSON cannot carry")
        rows.append(logits)
    return rows if c.output == "every" else rows[-1]
