"""The JAX peer of bench/train-one.ts: ms per training step of the same model shape on the CPU.

    python bench/train-jax.py <family> <B,T,W>

One layer (embedding, RMS norm, mixer, residual, RMS norm, MLP of width W with ReLU, residual, final RMS
norm, logits at the last position), state = width, 4 heads for deltanet, cross-entropy on 2 classes, AdamW
written out (no optax), all under one jax.jit. As in eigenstate (network.ts), the mixer's output projection wo,
the MLP and the final norm run on the last position only: the logits are the same, and neither side pays for
positions the loss never reads. Likewise, for lrnn-pos/neg and rnn-tanh, the input projections (and the LRNN gate)
run on the normalised embedding table's rows and are looked up after, as eigenstate's fused kernels do (network.ts,
mixer.ts rowsMixerFor): the norm, the products and the gate act row by row, so the values are the same, and each
token's row is computed once instead of B·T times. Because a model written the usual way in JAX does not do this,
those families are also timed per position ("plainMs": the norm and projections over all B·T positions).
rnn-tanh and deltanet use jax.lax.scan (T sequential steps, a [B, W]·[W, W] product per rnn-tanh step). The
diagonal LRNNs are timed both ways, jax.lax.associative_scan (the parallel scan) and jax.lax.scan (sequential,
as eigenstate's fused kernel), and the faster counts: in float32 the parallel scan's running products of gates
near 0 (lrnn-neg at initialisation) fall into subnormal numbers, which cost the CPU several times more.
Prints one JSON line, {"ms": median step time, "cpuMs": median process CPU time per step, "scan": the scan
timed, "alternatives": {scan: ms}, "plainMs" and "plainCpuMs": the same per position (ROWS families only),
"jax": version, "devices": [...]}, medians of 20 steps (3 at length > 64)
after a compiled warm-up. Bench-only: the reference implementation of the families lives in
python/eigenstate_ref.
"""

import json
import os
import sys
import time

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402


def rms(x, g):
    return x / jnp.sqrt(jnp.mean(x * x, axis=-1, keepdims=True) + 1e-6) * g


def glorot(key, shape):
    lim = (6.0 / (shape[0] + shape[-1])) ** 0.5
    return jax.random.uniform(key, shape, jnp.float32, -lim, lim)


def init(family, width, vocab=2, classes=2, heads=4):
    keys = iter(jax.random.split(jax.random.PRNGKey(7), 32))
    w = width
    p = {
        "embed": glorot(next(keys), (vocab, w)),
        "g1": jnp.ones(w), "g2": jnp.ones(w), "gf": jnp.ones(w),
        "w1": glorot(next(keys), (w, w)), "b1": jnp.zeros(w),
        "w2": glorot(next(keys), (w, w)), "b2": jnp.zeros(w),
        "out": glorot(next(keys), (w, classes)), "outb": jnp.zeros(classes),
        "wo": glorot(next(keys), (w, w)),
    }
    if family in ("lrnn-pos", "lrnn-neg"):
        p.update(wa=glorot(next(keys), (w, w)), ca=jnp.zeros(w), lw=jnp.zeros(w), wb=glorot(next(keys), (w, w)), cb=jnp.zeros(w))
    elif family == "rnn-tanh":
        p.update(wx=glorot(next(keys), (w, w)), wh=glorot(next(keys), (w, w)), b=jnp.zeros(w))
    elif family == "deltanet-neg":
        p.update(wk=glorot(next(keys), (w, w)), wq=glorot(next(keys), (w, w)), wv=glorot(next(keys), (w, w)),
                 wbeta=glorot(next(keys), (w, heads)), cbeta=jnp.zeros(heads))
    else:
        raise SystemExit(f"bench/train-jax.py: unknown family {family}")
    return p


ROWS = ("lrnn-pos", "lrnn-neg", "rnn-tanh")


def mixer(family, p, u, scan, tokens, rows, heads=4):
    """The states over the normalised input: u [B, T, w], or with rows the normalised table [vocab, w], whose
    projected rows are then looked up by tokens [B, T]."""
    B, T = tokens.shape
    w = u.shape[-1]
    pick = (lambda z: z[tokens]) if rows else (lambda z: z)
    if family in ("lrnn-pos", "lrnn-neg"):
        a = jnp.exp(-jax.nn.softplus(u @ p["wa"] + p["ca"]) * jnp.exp(p["lw"]))
        if family == "lrnn-neg":
            a = 2 * a - 1
        b = u @ p["wb"] + p["cb"]
        a, b = pick(a), pick(b)

        if scan == "parallel":

            def combine(x, y):
                a1, b1 = x
                a2, b2 = y
                return a1 * a2, a2 * b1 + b2

            _, h = jax.lax.associative_scan(combine, (a, b), axis=1)
        else:

            def step(h, x):
                at, bt = x
                h = at * h + bt
                return h, h

            _, hs = jax.lax.scan(step, jnp.zeros((B, w)), (jnp.swapaxes(a, 0, 1), jnp.swapaxes(b, 0, 1)))
            h = jnp.swapaxes(hs, 0, 1)
        return h
    if family == "rnn-tanh":
        xs = pick(u @ p["wx"] + p["b"])

        def step(h, x):
            h = jnp.tanh(x + h @ p["wh"])
            return h, h

        _, hs = jax.lax.scan(step, jnp.zeros((B, w)), jnp.swapaxes(xs, 0, 1))
        return jnp.swapaxes(hs, 0, 1)
    # deltanet-neg
    e = w // heads

    def l2(z):
        return z / jnp.sqrt(jnp.sum(z * z, axis=-1, keepdims=True) + 1e-6)

    k = l2((u @ p["wk"]).reshape(B, T, heads, e))
    q = l2((u @ p["wq"]).reshape(B, T, heads, e))
    v = (u @ p["wv"]).reshape(B, T, heads, e)
    beta = 2 * jax.nn.sigmoid(u @ p["wbeta"] + p["cbeta"])

    def step(S, x):
        kt, qt, vt, bt = x
        Sk = jnp.einsum("bhij,bhj->bhi", S, kt)
        S = S + bt[..., None, None] * jnp.einsum("bhi,bhj->bhij", vt - Sk, kt)
        return S, jnp.einsum("bhij,bhj->bhi", S, qt)

    xs = tuple(jnp.swapaxes(x, 0, 1) for x in (k, q, v, beta))
    _, ys = jax.lax.scan(step, jnp.zeros((B, heads, e, e)), xs)
    return jnp.swapaxes(ys, 0, 1).reshape(B, T, w)


def loss_fn(family, scan, rows, p, tokens, labels):
    x = p["embed"][tokens]
    # the mixer's states; as in eigenstate (network.ts) wo projects the last position only
    u = rms(p["embed"], p["g1"]) if rows else rms(x, p["g1"])
    x = x[:, -1] + mixer(family, p, u, scan, tokens, rows)[:, -1] @ p["wo"]
    x = x + jax.nn.relu(rms(x, p["g2"]) @ p["w1"] + p["b1"]) @ p["w2"] + p["b2"]
    logits = rms(x, p["gf"]) @ p["out"] + p["outb"]
    logp = jax.nn.log_softmax(logits)
    return -jnp.mean(jnp.take_along_axis(logp, labels[:, None], axis=1))


def time_steps(family, scan, B, T, W, rows):
    """Median wall and process-CPU ms of one jitted training step (forward, backward, AdamW)."""
    params = init(family, W)
    m = jax.tree_util.tree_map(jnp.zeros_like, params)
    v = jax.tree_util.tree_map(jnp.zeros_like, params)
    tokens = jax.random.randint(jax.random.PRNGKey(1), (B, T), 0, 2)
    labels = jax.random.randint(jax.random.PRNGKey(2), (B,), 0, 2)

    @jax.jit
    def step(params, m, v, t):
        loss, g = jax.value_and_grad(lambda q: loss_fn(family, scan, rows, q, tokens, labels))(params)
        lr, b1, b2, wd = 1e-3, 0.9, 0.999, 0.0
        m = jax.tree_util.tree_map(lambda a, b: b1 * a + (1 - b1) * b, m, g)
        v = jax.tree_util.tree_map(lambda a, b: b2 * a + (1 - b2) * b * b, v, g)
        c1, c2 = 1 - b1 ** t, 1 - b2 ** t
        params = jax.tree_util.tree_map(lambda w, a, b: w * (1 - lr * wd) - lr * (a / c1) / (jnp.sqrt(b / c2) + 1e-8), params, m, v)
        return params, m, v, loss

    params, m, v, loss = step(params, m, v, 1.0)
    loss.block_until_ready()
    wall, cpu = [], []
    for i in range(20 if T <= 64 else 3):
        start, start_cpu = time.perf_counter(), time.process_time()
        params, m, v, loss = step(params, m, v, float(i + 2))
        loss.block_until_ready()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return sorted(wall)[len(wall) // 2], sorted(cpu)[len(cpu) // 2]


def main(argv):
    family, size = argv[1], argv[2]
    B, T, W = (int(s) for s in size.split(","))
    scans = ["parallel", "sequential"] if family in ("lrnn-pos", "lrnn-neg") else ["sequential"]
    rows = family in ROWS
    timed = {scan: time_steps(family, scan, B, T, W, rows) for scan in scans}
    best = min(timed, key=lambda scan: timed[scan][0])
    plain = {}
    if rows:
        per_position = {scan: time_steps(family, scan, B, T, W, False) for scan in scans}
        fastest = min(per_position, key=lambda scan: per_position[scan][0])
        plain = {"plainMs": per_position[fastest][0], "plainCpuMs": per_position[fastest][1], "plainScan": fastest}
    print(json.dumps({"ms": timed[best][0], "cpuMs": timed[best][1], "scan": best, **plain,
                      "alternatives": {scan: ms for scan, (ms, _) in timed.items()},
                      "jax": jax.__version__, "devices": [str(d) for d in jax.devices()]}))


if __name__ == "__main__":
    main(sys.argv)
