"""Self-check of the Python reference (no pytest needed): python/.venv/bin/python python/check.py

1. every family (and the options: layers, mlp, rms, every, heads, positions) runs unchanged on numpy and
   on jax.numpy (jit-compiled, lax.scan) and the two agree to 1e-5 in float32 and 1e-9 in float64 (and
   on PyTorch, when torch is installed);
2. eigenstate's own trained parity checkpoints classify parity perfectly under this independent code;
   laws any correct forward pass keeps: 'every' ends with 'last'; a batch gives each word's own logits;
   causality (a prefix's 'every' logits are the longer word's first rows);
3. the exchange format: save -> load is bit-identical; bfloat16 and float16 files load (upcast exactly);
   broken files are refused with the tensor or field named;
4. exact-fp32: float32 rounding of exact values, and logits within float32 error of the float64 forward.
Prints one line per check; exits 1 on the first failure.
"""

from __future__ import annotations

import base64
import json
import sys
import tempfile
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eigenstate_ref import FAMILIES, InputError, ModelConfig, Task, forward, load, parity_task, random_weights, save  # noqa: E402
from eigenstate_ref.model import features  # noqa: E402

CONFIGS = [ModelConfig(f, 2, 2, 8, 8, 1) for f in FAMILIES] + [
    ModelConfig("rnn-tanh", 3, 4, 8, 6, 2, mlp=12, norm="rms", output="every"),
    ModelConfig("lstm", 3, 2, 6, 5, 2, mlp=7, norm="rms"),
    ModelConfig("lrnn-neg", 2, 2, 8, 8, 2, mlp=8, norm="rms", output="every"),
    ModelConfig("lrnn-complex", 4, 3, 8, 6, 2, norm="rms"),
    ModelConfig("lrnn-pd", 4, 3, 8, 6, 2, mlp=8, norm="rms", output="every"),
    ModelConfig("deltanet-neg", 2, 2, 8, 8, 2, heads=2, norm="rms", output="every"),
    ModelConfig("deltanet-neg", 2, 2, 8, 8, 2, heads=2, norm="rms", output="every", conv=4),
    ModelConfig("deltanet-pos", 3, 2, 12, 12, 1, mlp=4, heads=3),
    ModelConfig("transformer", 3, 2, 8, 8, 2, heads=2, positions="sinusoidal", norm="rms", mlp=16),
    ModelConfig("transformer", 2, 3, 12, 12, 1, heads=3, positions="learned", max_len=20, output="every"),
]


def fail(message: str) -> None:
    print(f"FAIL {message}")
    sys.exit(1)


def words(seed: int, batch: int, length: int, vocab: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, vocab, (batch, length))


def max_diff(a: np.ndarray, b: np.ndarray) -> float:
    """max |a − b| / max(1, |b|): absolute near 0, relative for large logits."""
    return float(np.max(np.abs(a - b) / np.maximum(1.0, np.abs(b))))


def check_backends(x64: bool) -> None:
    dtype, tol = ("float64", 1e-9) if x64 else ("float32", 1e-5)
    # float32: every config at lengths 1 and 13; float64 (x64 on): one config per family at length 13.
    configs, lengths = (CONFIGS[: len(FAMILIES)], (13,)) if x64 else (CONFIGS, (1, 13))
    for i, c in enumerate(configs):
        w = random_weights(c, seed=100 + i)
        run = jax.jit(lambda ww, t, c=c: forward(c, ww, t))
        worst = 0.0
        for length in lengths:
            tokens = words(i * 1000 + length, 5, length, c.vocab)
            ref = forward(c, {k: v.astype(dtype) for k, v in w.items()}, tokens)
            got = np.asarray(run({k: jnp.asarray(v, dtype=dtype) for k, v in w.items()}, jnp.asarray(tokens)))
            if ref.dtype != np.dtype(dtype) or got.dtype != np.dtype(dtype):
                fail(f"{c.family}: dtype {ref.dtype}/{got.dtype}, expected {dtype}")
            if not np.all(np.isfinite(ref)):
                fail(f"{c.family}: non-finite logits")
            worst = max(worst, max_diff(got, ref))
        if worst > tol:
            fail(f"numpy vs jax {dtype} {c}: differ by {worst:.3g} > {tol}")
        print(f"ok   numpy = jax ({dtype}, max diff {worst:.1e}) {c.family} layers={c.layers} mlp={c.mlp} norm={c.norm} "
              f"output={c.output} heads={c.heads} positions={c.positions}" + (f" conv={c.conv}" if c.conv else ""))


def check_laws() -> None:
    for i, c in enumerate(CONFIGS):
        w = {k: v.astype(np.float64) for k, v in random_weights(c, seed=7 + i).items()}
        tokens = words(i, 4, 9, c.vocab)
        every = forward(c, w, tokens, output="every")
        last = forward(c, w, tokens, output="last")
        if every.shape != (4, 9, c.classes) or last.shape != (4, c.classes):
            fail(f"{c.family}: shapes {every.shape} {last.shape}")
        if not np.array_equal(every[:, -1, :], last):
            fail(f"{c.family}: 'every' does not end with 'last'")
        alone = max_diff(forward(c, w, tokens[2:3], output="last"), last[2:3])
        if alone > 1e-12:
            fail(f"{c.family}: a word's logits depend on its batch ({alone:.3g})")
        if max_diff(forward(c, w, tokens[:, :5], output="every"), every[:, :5, :]) > 1e-12:
            fail(f"{c.family}: not causal (a prefix's logits change with what follows)")
        spread = float(np.std(last))
        if not 0.05 < spread < 20:
            fail(f"{c.family}: random logits not O(1) (std {spread})")
    print(f"ok   laws (every ends with last, batch-independent, causal, O(1) logits) on {len(CONFIGS)} configs")


def check_eigenstate_checkpoints() -> None:
    """eigenstate's own trained checkpoints (specs/checkpoints/*.json, base64 float32 weights), run here,
    classify parity as their training record says: accuracy 1 on their training lengths."""
    root = Path(__file__).resolve().parent.parent / "specs" / "checkpoints"
    seen = 0
    for path in sorted(root.glob("parity-*.json")):
        d = json.loads(path.read_text())
        history = (d.get("training") or {}).get("history") or []
        if d.get("format") != "eigenstate/checkpoint" or not (path.name.endswith("handbuilt.json") or history):
            continue
        perfect = path.name == "parity-lrnn-neg-handbuilt.json" or (history and history[-1]["accuracy"] == 1)
        if not perfect:
            continue
        c = ModelConfig(**{("max_len" if k == "maxLen" else k): v for k, v in d["config"].items()})
        w = {k: np.frombuffer(base64.b64decode(v["data"]), dtype="<f4").reshape(v["shape"]).astype(np.float64)
             for k, v in d["weights"].items()}
        lengths = (d.get("training") or {}).get("trainLengths") or {"min": 3, "max": 40}
        tokens = words(1, 128, lengths["max"], 2)
        right = np.argmax(forward(c, w, tokens, output="every"), axis=-1) == np.cumsum(tokens, axis=1) % 2
        acc = float(right[:, lengths["min"] - 1 :].mean())
        if acc != 1.0:
            fail(f"{path.name}: eigenstate's {c.family} checkpoint scores {acc:.4f} on parity here (1.0 in eigenstate)")
        seen += 1
    if seen < 5:
        fail(f"only {seen} trained parity checkpoints found under {root}")
    print(f"ok   {seen} of eigenstate's trained parity checkpoints (specs/checkpoints) classify parity perfectly here too")


def check_io() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i, c in enumerate(CONFIGS):
            w = random_weights(c, seed=i)
            task = parity_task() if c.vocab == 2 and c.classes == 2 else None
            if task is None:
                task = Task("test", tuple(str(s) for s in range(c.vocab)), tuple(f"c{k}" for k in range(c.classes)))
            save(root / f"m{i}", c, w, task, origin="check.py")
            back = load(root / f"m{i}")
            if back.config != c or back.task != task or back.origin != "check.py":
                fail(f"round trip changed the config/task of {c}")
            if set(back.weights) != set(w) or any(back.weights[k].tobytes() != w[k].tobytes() for k in w):
                fail(f"round trip changed the weights of {c}")
            for dtype, np_dtype in (("bfloat16", ml_dtypes.bfloat16), ("float16", np.float16)):
                save(root / f"m{i}-{dtype}", c, w, task, dtype=dtype)
                low = load(root / f"m{i}-{dtype}")
                for k in w:
                    want = w[k].astype(np_dtype).astype(np.float32)
                    if low.weights[k].dtype != np.float32 or low.weights[k].tobytes() != want.tobytes():
                        fail(f"{dtype} load of {k} is not the exact upcast")
                    if low.stored_dtypes[k] != {"bfloat16": "BF16", "float16": "F16"}[dtype]:
                        fail(f"{dtype} file reports {low.stored_dtypes[k]}")
        # refusals, each naming the culprit
        c = CONFIGS[0]
        w = random_weights(c, seed=0)
        expect_refusal(lambda: save(root / "m0", c, w, parity_task()), "exists")
        cfg = json.loads((root / "m0" / "config.json").read_text())
        bad_cases = [
            ({**cfg, "family": "gru"}, "family"),
            ({**cfg, "heads": 2}, "config.heads"),
            ({**cfg, "width": "16"}, "width"),
            ({**cfg, "surprise": 1}, "surprise"),
            ({**cfg, "task": {**cfg["task"], "alphabet": ["0"]}}, "task.alphabet"),
        ]
        for k, (obj, needle) in enumerate(bad_cases):
            d = root / f"bad{k}"
            d.mkdir()
            (d / "config.json").write_text(json.dumps(obj))
            (d / "model.safetensors").write_bytes((root / "m0" / "model.safetensors").read_bytes())
            expect_refusal(lambda d=d: load(d), needle)
        ok = root / "extra"
        save(ok, c, w, parity_task())
        cfg_extra = {**cfg, "training": None, "exactAt": "fp32"}
        (ok / "config.json").write_text(json.dumps(cfg_extra))
        load(ok)  # eigenstate's own extra fields are accepted
        from safetensors.numpy import save_file

        for k, (tensors, needle) in enumerate([
            ({**w, "l0.mix.wx": w["l0.mix.wx"][:, :4].copy()}, "l0.mix.wx"),
            ({kk: v for kk, v in w.items() if kk != "out.b"}, "out.b"),
            ({**w, "l0.mix.zz": w["out.b"]}, "l0.mix.zz"),
            ({**w, "embed": w["embed"].astype(np.float64)}, "embed"),
            ({**w, "out.b": np.array([np.nan, 0], dtype=np.float32)}, "out.b"),
        ]):
            d = root / f"badw{k}"
            d.mkdir()
            (d / "config.json").write_text(json.dumps(cfg))
            save_file(tensors, str(d / "model.safetensors"))
            expect_refusal(lambda d=d: load(d), needle)
    print("ok   exchange format: bit-identical round trip, bf16/f16 load as exact upcasts, 11 refusals name the culprit")


def check_exact() -> None:
    """exact-fp32: rounding half to even from exact values (ties included); logits within float32 error of float64."""
    from fractions import Fraction

    from eigenstate_ref.config import RECURRENT
    from eigenstate_ref.exact import ExactNetwork, exact_logits, round_exact

    rng = np.random.default_rng(5)
    for _ in range(2000):
        a = np.float32(rng.uniform(-2, 2) * 2.0 ** int(rng.integers(-140, 120)))
        b = np.nextafter(a, np.float32(np.inf))
        for x in (Fraction(float(a)), (Fraction(float(a)) + Fraction(float(b))) / 2, Fraction(float(a)) * 3 / 4 + Fraction(float(b)) / 4):
            n = x.numerator * (2**1100 // x.denominator)
            if round_exact(n, 1100) != float(np.float32(float(x))) + 0.0:  # every x here is exact in float64
                fail(f"round_exact({float(x)!r}) is not float32 half-to-even")
    extra = [c for c in CONFIGS[len(FAMILIES) :] if c.family != "transformer"]
    for i, c in enumerate([ModelConfig(f, 2, 2, 8, 8, 1) for f in RECURRENT] + extra):
        w = random_weights(c, seed=40 + i)
        tokens = words(i, 3, 12, c.vocab)
        net = ExactNetwork(c, w)
        got = np.array([exact_logits(c, w, [int(s) for s in row], net) for row in tokens])
        ref = forward(c, {k: v.astype(np.float64) for k, v in w.items()}, tokens)
        if got.shape != ref.shape or max_diff(got, ref) > 1e-4:
            fail(f"exact-fp32 {c.family}: {max_diff(got, ref) if got.shape == ref.shape else got.shape} from float64")
    print(f"ok   exact-fp32: half-to-even rounding of exact values (ties too); logits within float32 error of float64, "
          f"{len(RECURRENT) + len(extra)} configs")


def check_lrnn_pd() -> None:
    """lrnn-pd against a plain loop over its definition (first argmax, h_i = a_i·h_perm[c*][i] + b_i); random
    weights pick row s for symbol s in layer 0 and several rows in layer 1; a perm that is not a table of
    permutations is refused."""
    from eigenstate_ref.model import decay_gate

    c = ModelConfig("lrnn-pd", 5, 2, 8, 6, 2, norm="rms")
    w = {k: v.astype(np.float64) for k, v in random_weights(c, seed=3).items()}
    tokens = words(2, 6, 40, c.vocab)
    picked: list[set[int]] = [set(), set()]
    want = np.zeros((6, 40, c.width))
    for b in range(6):  # the definition, one word, one step, one coordinate at a time
        x = w["embed"][tokens[b]]
        for l in range(c.layers):
            p = f"l{l}.mix."
            u = x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + 1e-6) * w[f"l{l}.norm1"]
            h, ys = np.zeros(c.state), []
            for t in range(40):
                z = list(u[t] @ w[p + "wp"] + w[p + "cp"])
                choice = z.index(max(z))  # the first maximum
                picked[l].add(choice)
                if l == 0 and choice != tokens[b, t]:
                    fail(f"lrnn-pd random weights: layer 0 sends symbol {tokens[b, t]} to row {choice}")
                a = 2 * decay_gate(u[t], {k[len(p) :]: v for k, v in w.items() if k.startswith(p)}) - 1
                bt = u[t] @ w[p + "wb"] + w[p + "cb"]
                h = np.array([a[i] * h[int(w[p + "perm"][choice, i])] + bt[i] for i in range(c.state)])
                ys.append(h @ w[p + "wo"])
            x = x + np.array(ys)
        want[b] = x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + 1e-6) * w["normf"]
    got = features(c, w, tokens)
    if max_diff(got, want) > 1e-12:
        fail(f"lrnn-pd forward differs from its definition by {max_diff(got, want):.3g}")
    if len(picked[1]) < 3:
        fail(f"lrnn-pd random weights: layer 1 picks only rows {sorted(picked[1])}")
    with tempfile.TemporaryDirectory() as tmp:
        for k, bad in enumerate(([0, 1, 1, 3, 4, 5], [0, 1, 2, 3, 4, 6], [0, 1, 2, 3, 4, 4.5])):
            perm = w["l0.mix.perm"].copy()
            perm[2] = bad
            expect_refusal(lambda k=k, perm=perm: save(Path(tmp) / f"m{k}", c, {**w, "l0.mix.perm": perm},
                                                       Task("t", tuple("abcde"), ("r", "a"))), "l0.mix.perm: row 2")
    print(f"ok   lrnn-pd: forward = its definition (first argmax, gather), layer 0 picks row s for symbol s, "
          f"layer 1 picks {len(picked[1])} rows; bad perm tables refused")


def expect_refusal(thunk, needle: str) -> None:
    try:
        thunk()
    except InputError as e:
        if needle not in str(e):
            fail(f"refusal does not name {needle!r}: {e}")
        return
    fail(f"accepted input that should be refused ({needle})")


def check_torch() -> None:
    """The same code on PyTorch tensors, when torch is installed (it is not in requirements.txt)."""
    try:
        import torch
    except ImportError:
        print("skip PyTorch (not installed; the code runs on it unchanged when it is)")
        return
    worst = 0.0
    for i, c in enumerate(CONFIGS):
        w = random_weights(c, seed=100 + i)
        tokens = words(i, 4, 9, c.vocab)
        ref = forward(c, {k: v.astype(np.float64) for k, v in w.items()}, tokens)
        got = forward(c, {k: torch.tensor(v, dtype=torch.float64) for k, v in w.items()}, torch.tensor(tokens)).numpy()
        worst = max(worst, max_diff(got, ref))
    if worst > 1e-9:
        fail(f"numpy vs torch float64 differ by {worst:.3g}")
    print(f"ok   numpy = torch {torch.__version__} (float64, max diff {worst:.1e}) on {len(CONFIGS)} configs")


def main() -> None:
    start = time.time()
    check_laws()
    check_eigenstate_checkpoints()
    check_io()
    check_exact()
    check_lrnn_pd()
    check_torch()
    check_backends(x64=False)
    jax.config.update("jax_enable_x64", True)
    check_backends(x64=True)
    print(f"all checks passed in {time.time() - start:.1f} s (jax {jax.__version__}, devices {jax.devices()})")


if __name__ == "__main__":
    main()
