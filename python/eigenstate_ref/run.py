"""Logits of many words at once: words grouped by length, one batched forward pass per length."""

from __future__ import annotations

from typing import Any

import numpy as np

from .config import InputError, ModelConfig
from .model import forward


def check_words(words: Any, c: ModelConfig, where: str) -> list[list[int]]:
    """A JSON list of words (lists of symbol indices in [0, vocab), length >= 1); InputError otherwise."""
    if not isinstance(words, list):
        raise InputError(f"{where}: must be a JSON list of words (got {type(words).__name__})")
    for i, word in enumerate(words):
        if not isinstance(word, list) or len(word) == 0:
            raise InputError(f"{where}: word {i}: must be a non-empty list of symbol indices (got {word!r})")
        for s in word:
            if not isinstance(s, int) or isinstance(s, bool) or not 0 <= s < c.vocab:
                raise InputError(f"{where}: word {i}: symbol {s!r} is not an index in [0, {c.vocab})")
        if c.positions == "learned" and len(word) > c.max_len:
            raise InputError(f"{where}: word {i}: length {len(word)} exceeds the learned positions (config.maxLen {c.max_len})")
    return words


def logits_of_words(c: ModelConfig, weights: dict[str, np.ndarray], words: list[list[int]], dtype: str = "float64",
                    backend: str = "numpy") -> list[Any]:
    """Per word: its [classes] logits ('last') or [T][classes] ('every'), as nested Python floats.

    dtype float64 computes in float64 from the float32 weights; float32 computes in float32 throughout.
    backend 'numpy' steps through time in a Python loop; 'jax' runs the same code on jax.numpy.
    """
    by_length: dict[int, list[int]] = {}
    for i, word in enumerate(words):
        by_length.setdefault(len(word), []).append(i)
    if backend == "numpy":
        xp_weights = {k: v.astype(dtype) for k, v in weights.items()}

        def run(tokens: np.ndarray) -> np.ndarray:
            return forward(c, xp_weights, tokens)
    elif backend == "jax":
        import jax

        if dtype == "float64":
            jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp

        xp_weights = {k: jnp.asarray(v, dtype=dtype) for k, v in weights.items()}
        jitted = jax.jit(lambda w, t: forward(c, w, t))

        def run(tokens: np.ndarray) -> np.ndarray:
            return np.asarray(jitted(xp_weights, jnp.asarray(tokens)))
    else:
        raise InputError(f"--backend: {backend!r} (choose numpy or jax)")
    out: list[Any] = [None] * len(words)
    for _, indices in sorted(by_length.items()):
        tokens = np.asarray([words[i] for i in indices], dtype=np.int64)
        logits = run(tokens)
        for row, i in enumerate(indices):
            out[i] = logits[row].astype(np.float64).tolist()
    return out
