"""python -m eigenstate_ref: random | forward | exact-fp32 (JSON in, JSON out; see python/README.md).

Exit codes as eigenstate's: 0 done, 2 bad input (one line on stderr naming the file/field/value).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .config import FAMILIES, InputError, ModelConfig
from .io import Task, _atomic, load, save
from .random_weights import random_weights
from .run import check_words, logits_of_words


class Parser(argparse.ArgumentParser):
    """argparse whose usage errors are InputErrors (exit 2, one line)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise InputError(f"{self.prog}: {message}")


def names(text: str, flag: str) -> tuple[str, ...]:
    parts = tuple(text.split(","))
    if any(p == "" for p in parts):
        raise InputError(f"{flag}: empty name in {text!r} (comma-separated, e.g. 0,1)")
    return parts


def cmd_random(a: argparse.Namespace) -> None:
    c = ModelConfig(a.family, a.vocab, a.classes, a.width, a.state, a.layers, a.mlp, a.norm, a.output, a.heads,
                    a.positions, a.max_len, a.conv)
    c.check("random")
    alphabet = names(a.alphabet, "--alphabet") if a.alphabet is not None else tuple(str(i) for i in range(c.vocab))
    if a.class_names is not None:
        classes = names(a.class_names, "--class-names")
    else:
        classes = ("reject", "accept") if c.classes == 2 else tuple(f"class{i}" for i in range(c.classes))
    origin = f"eigenstate_ref random --family {c.family} --seed {a.seed}"
    save(a.out, c, random_weights(c, a.seed), Task(a.task, alphabet, classes), origin=origin, dtype=a.dtype, force=a.force)
    print(json.dumps({"out": str(a.out), "family": c.family, "seed": a.seed, "dtype": a.dtype}))


def read_words(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read ({e})") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: not JSON ({e})") from None


def write_json(path: str, obj: Any, force: bool) -> None:
    p = Path(path)
    if p.exists() and not force:
        raise InputError(f"{p}: exists (use --force to overwrite)")
    p.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(obj, allow_nan=False) + "\n"
    _atomic(p, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def cmd_forward(a: argparse.Namespace) -> None:
    model = load(a.dir)
    words = check_words(read_words(a.words), model.config, a.words)
    logits = logits_of_words(model.config, model.weights, words, dtype=a.dtype, backend=a.backend)
    write_json(a.out, {"logits": logits}, a.force)


def cmd_exact(a: argparse.Namespace) -> None:
    from .exact import exact_logits

    model = load(a.dir)
    words = check_words(read_words(a.words), model.config, a.words)
    write_json(a.out, {"logits": [exact_logits(model.config, model.weights, w) for w in words]}, a.force)


def parser() -> Parser:
    p = Parser(prog="python -m eigenstate_ref", description="Python reference of eigenstate's models and exchange format.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    r = sub.add_parser("random", help="write a model with seeded random weights to DIR")
    r.add_argument("--family", required=True, choices=FAMILIES)
    r.add_argument("--seed", required=True, type=int)
    r.add_argument("--out", required=True, help="folder to write model.safetensors and config.json into")
    r.add_argument("--vocab", type=int, default=2)
    r.add_argument("--classes", type=int, default=2)
    r.add_argument("--width", type=int, default=16)
    r.add_argument("--state", type=int, default=16)
    r.add_argument("--layers", type=int, default=1)
    r.add_argument("--mlp", type=int, default=0)
    r.add_argument("--norm", choices=("none", "rms"), default="none")
    r.add_argument("--output", choices=("last", "every"), default="last")
    r.add_argument("--heads", type=int, default=1)
    r.add_argument("--positions", choices=("none", "learned", "sinusoidal"), default="none")
    r.add_argument("--max-len", type=int, default=0)
    r.add_argument("--conv", type=int, default=0, help="deltanet's short convolution kernel size (0: none)")
    r.add_argument("--task", default="parity", help="the task name written into config.json")
    r.add_argument("--alphabet", default=None, help="comma-separated symbols, one per token (default 0,1,..)")
    r.add_argument("--class-names", default=None, help="comma-separated class names (default reject,accept)")
    r.add_argument("--dtype", choices=("float32", "bfloat16", "float16"), default="float32")
    r.add_argument("--force", action="store_true", help="overwrite DIR's files")
    r.set_defaults(run=cmd_random)

    f = sub.add_parser("forward", help="logits of every word of WORDS.json")
    f.add_argument("dir")
    f.add_argument("--words", required=True, help="JSON list of words, each a list of symbol indices")
    f.add_argument("--out", required=True, help='JSON file to write {"logits": [...]} into')
    f.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    f.add_argument("--backend", choices=("numpy", "jax"), default="numpy")
    f.add_argument("--force", action="store_true", help="overwrite OUT")
    f.set_defaults(run=cmd_forward)

    e = sub.add_parser("exact-fp32", help="logits under the exact finite-precision semantics at fp32 (recurrent families)")
    e.add_argument("dir")
    e.add_argument("--words", required=True)
    e.add_argument("--out", required=True)
    e.add_argument("--force", action="store_true", help="overwrite OUT")
    e.set_defaults(run=cmd_exact)
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
        args.run(args)
        return 0
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
