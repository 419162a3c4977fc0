"""A model's hyperparameters and the weight names/shapes of every family.

Written from the specification in eigenstate's src/models/config.ts (header) and src/models/params.ts,
not from its implementation. Field names follow the exchange format's config.json (maxLen is max_len).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FAMILIES = (
    "rnn-tanh",
    "lstm",
    "lrnn-pos",
    "lrnn-neg",
    "lrnn-complex",
    "lrnn-pd",
    "deltanet-pos",
    "deltanet-neg",
    "transformer",
)
RECURRENT = FAMILIES[:-1]
HEADED = ("deltanet-pos", "deltanet-neg", "transformer")
MAX_CONV = 64  # the largest short-convolution kernel (eigenstate's MAX_CONV)


class InputError(ValueError):
    """Bad input (a file, field, flag or value): the CLI prints its one line and exits 2."""


@dataclass(frozen=True)
class ModelConfig:
    """Hyperparameters of one model (hashable, so jax.jit can take it as a static argument)."""

    family: str
    vocab: int
    classes: int
    width: int
    state: int
    layers: int
    mlp: int = 0
    norm: str = "none"
    output: str = "last"
    heads: int = 1
    positions: str = "none"
    max_len: int = 0
    conv: int = 0  # DeltaNet's short convolution kernel size (0: none); config.json's optional "conv"

    def problem(self) -> tuple[str, str] | None:
        """The first (field, message) this config breaks, or None; field names as in config.json."""
        if self.family not in FAMILIES:
            return "family", f"unknown family (choose one of {', '.join(FAMILIES)})"
        for name in ("vocab", "width", "state", "layers", "heads"):
            if not _is_int(getattr(self, name)) or getattr(self, name) < 1:
                return name, "must be a positive integer"
        if not _is_int(self.classes) or self.classes < 2:
            return "classes", "must be an integer >= 2"
        if not _is_int(self.mlp) or self.mlp < 0:
            return "mlp", "must be an integer >= 0"
        if not _is_int(self.max_len) or self.max_len < 0:
            return "maxLen", "must be an integer >= 0"
        if self.norm not in ("none", "rms"):
            return "norm", "must be 'none' or 'rms'"
        if self.output not in ("last", "every"):
            return "output", "must be 'last' or 'every'"
        if self.positions not in ("none", "learned", "sinusoidal"):
            return "positions", "must be 'none', 'learned' or 'sinusoidal'"
        if not _is_int(self.conv) or not 0 <= self.conv <= MAX_CONV:
            return "conv", f"must be an integer in [0, {MAX_CONV}]"
        if self.conv > 0 and self.family not in ("deltanet-pos", "deltanet-neg"):
            return "conv", f"only deltanet takes a short convolution (family {self.family}; use 0 or leave it out)"
        if self.family == "lrnn-complex" and self.state % 2 != 0:
            return "state", "lrnn-complex needs an even state size (2x2 blocks)"
        if self.family in ("deltanet-pos", "deltanet-neg") and self.state % self.heads != 0:
            return "state", f"deltanet needs a state size divisible by heads ({self.heads})"
        if self.family == "transformer":
            if self.width % self.heads != 0:
                return "width", f"transformer width must be divisible by heads ({self.heads})"
            if self.positions == "learned" and self.max_len == 0:
                return "maxLen", "learned positions need maxLen > 0"
        elif self.positions != "none":
            return "positions", f"only transformers take positions (family {self.family})"
        if self.family not in HEADED and self.heads != 1:
            return "heads", f"family {self.family} has no heads (use 1)"
        return None

    def check(self, where: str) -> None:
        """Raises InputError "<where>: config.<field>: <problem> (got <value>)" when the config is invalid."""
        found = self.problem()
        if found is not None:
            field, message = found
            value = getattr(self, "max_len" if field == "maxLen" else field)
            raise InputError(f"{where}: config.{field}: {message} (got {value!r})")


def perm_problem(table: np.ndarray) -> str | None:
    """Why lrnn-pd's [k, n] perm is not k permutations of 0..n−1 (naming row and entry, as eigenstate), or None."""
    t = np.asarray(table)
    k, n = t.shape
    for c in range(k):
        seen = set()
        for i in range(n):
            v = float(t[c, i])
            if not v.is_integer() or not 0 <= v < n or v in seen:
                return f"row {c} is not a permutation of 0..{n - 1} (entry {i} = {v:g})"
            seen.add(v)
    return None


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def mixer_shapes(c: ModelConfig) -> list[tuple[str, tuple[int, ...]]]:
    """Names (without the `l<l>.mix.` prefix) and shapes of one layer's mixer weights."""
    d, n, h = c.width, c.state, c.heads
    if c.family == "rnn-tanh":
        return [("wx", (d, n)), ("wh", (n, n)), ("b", (n,)), ("wo", (n, d))]
    if c.family == "lstm":
        return [("wx", (d, 4 * n)), ("wh", (n, 4 * n)), ("b", (4 * n,)), ("wo", (n, d))]
    if c.family in ("lrnn-pos", "lrnn-neg"):
        return [("wa", (d, n)), ("ca", (n,)), ("w", (n,)), ("wb", (d, n)), ("cb", (n,)), ("wo", (n, d))]
    if c.family == "lrnn-pd":  # perm: k = vocab candidate permutations of 0..n−1 as float32 integers, frozen
        return [("perm", (c.vocab, n)), ("wp", (d, c.vocab)), ("cp", (c.vocab,)), ("wa", (d, n)), ("ca", (n,)),
                ("w", (n,)), ("wb", (d, n)), ("cb", (n,)), ("wo", (n, d))]
    if c.family == "lrnn-complex":
        m = n // 2
        return [("wa", (d, m)), ("ca", (m,)), ("w", (m,)), ("wt", (d, m)), ("ct", (m,)),
                ("wb", (d, n)), ("cb", (n,)), ("wo", (n, d))]
    if c.family in ("deltanet-pos", "deltanet-neg"):
        conv = [(name, (n, c.conv)) for name in ("convq", "convk", "convv")] if c.conv > 0 else []
        return [("wq", (d, n)), ("wk", (d, n)), ("wv", (d, n)), ("wbeta", (d, h)), ("cbeta", (h,)), ("wo", (n, d))] + conv
    if c.family == "transformer":
        return [("wq", (d, d)), ("wk", (d, d)), ("wv", (d, d)), ("wo", (d, d))]
    raise InputError(f"unknown family {c.family!r}")


def param_shapes(c: ModelConfig) -> list[tuple[str, tuple[int, ...]]]:
    """Every weight of a model, in eigenstate's order: embed, pos, per layer norm1/mix/norm2/mlp, normf, out."""
    d = c.width
    rms = c.norm == "rms"
    out: list[tuple[str, tuple[int, ...]]] = [("embed", (c.vocab, d))]
    if c.positions == "learned":
        out.append(("pos", (c.max_len, d)))
    for l in range(c.layers):
        p = f"l{l}."
        if rms:
            out.append((p + "norm1", (d,)))
        out.extend((f"{p}mix.{name}", shape) for name, shape in mixer_shapes(c))
        if c.mlp > 0:
            if rms:
                out.append((p + "norm2", (d,)))
            out.extend([(p + "mlp.w1", (d, c.mlp)), (p + "mlp.b1", (c.mlp,)),
                        (p + "mlp.w2", (c.mlp, d)), (p + "mlp.b2", (d,))])
    if rms:
        out.append(("normf", (d,)))
    out.extend([("out.w", (d, c.classes)), ("out.b", (c.classes,))])
    return out
