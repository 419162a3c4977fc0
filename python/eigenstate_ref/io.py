"""The exchange format: a folder with model.safetensors (weights by eigenstate name) and config.json.

load() validates everything and names the file and the tensor or field at fault; save() writes float32
(or, for test files, bfloat16/float16) atomically and refuses to overwrite without force.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ml_dtypes
import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load_file, save_file

from .config import FAMILIES, InputError, ModelConfig, param_shapes, perm_problem

FORMAT = "eigenstate/interop"
VERSION = 1
WEIGHTS_FILE = "model.safetensors"
CONFIG_FILE = "config.json"

# On-disk dtypes import accepts (upcast to float32), by numpy dtype name.
READABLE = {"float32": "F32", "bfloat16": "BF16", "float16": "F16"}
WRITABLE = {"float32": np.float32, "bfloat16": ml_dtypes.bfloat16, "float16": np.float16}

CONFIG_FIELDS = ("family", "vocab", "classes", "width", "state", "layers", "mlp", "norm", "output", "heads", "positions", "maxLen")
# Optional fields: written only when not their default (a model without a short convolution has no "conv").
OPTIONAL_FIELDS = ("conv",)
# Fields eigenstate may write that this reference accepts and ignores.
IGNORED_FIELDS = ("training", "exactAt")


@dataclass(frozen=True)
class Task:
    """What the model classifies: the task's name, its symbols (index = token) and class names."""

    name: str
    alphabet: tuple[str, ...]
    classes: tuple[str, ...]


@dataclass
class Model:
    """A loaded model: config, task, float32 weights by name, the optional origin line."""

    config: ModelConfig
    task: Task
    weights: dict[str, np.ndarray]
    origin: str | None = None
    stored_dtypes: dict[str, str] = field(default_factory=dict)


def parity_task() -> Task:
    """The parity task as eigenstate names it (class 1 = accept = an odd number of 1s)."""
    return Task("parity", ("0", "1"), ("reject", "accept"))


def config_to_json(c: ModelConfig, task: Task, origin: str | None) -> dict[str, Any]:
    """The config.json object of a model."""
    out: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    for name in CONFIG_FIELDS:
        out[name] = getattr(c, "max_len" if name == "maxLen" else name)
    if c.conv > 0:
        out["conv"] = c.conv
    out["task"] = {"name": task.name, "alphabet": list(task.alphabet), "classes": list(task.classes)}
    if origin is not None:
        out["origin"] = origin
    return out


def config_from_json(obj: Any, where: str) -> tuple[ModelConfig, Task, str | None]:
    """Validates a parsed config.json; InputError "<where>: <field>: <problem>" otherwise."""
    if not isinstance(obj, dict):
        raise InputError(f"{where}: must be a JSON object (got {type(obj).__name__})")
    if obj.get("format") != FORMAT:
        raise InputError(f"{where}: format: must be {FORMAT!r} (got {obj.get('format')!r})")
    if obj.get("version") != VERSION or isinstance(obj.get("version"), bool):
        raise InputError(f"{where}: version: this reader knows version {VERSION} (got {obj.get('version')!r})")
    known = set(CONFIG_FIELDS) | set(OPTIONAL_FIELDS) | set(IGNORED_FIELDS) | {"format", "version", "task", "origin"}
    for name in obj:
        if name not in known:
            raise InputError(f"{where}: {name}: unknown field")
    for name in CONFIG_FIELDS:
        if name not in obj:
            raise InputError(f"{where}: {name}: missing")
    for name in ("family", "norm", "output", "positions"):
        if not isinstance(obj[name], str):
            raise InputError(f"{where}: {name}: must be a string (got {obj[name]!r})")
    for name in ("vocab", "classes", "width", "state", "layers", "mlp", "heads", "maxLen", "conv"):
        if name not in obj:
            continue  # only an optional field can be absent here
        v = obj[name]
        if not isinstance(v, int) or isinstance(v, bool):
            raise InputError(f"{where}: {name}: must be an integer (got {v!r})")
    if obj["family"] not in FAMILIES:
        raise InputError(f"{where}: family: unknown family {obj['family']!r} (choose one of {', '.join(FAMILIES)})")
    config = ModelConfig(**{("max_len" if n == "maxLen" else n): obj[n] for n in CONFIG_FIELDS}, conv=obj.get("conv", 0))
    config.check(where)
    task = task_from_json(obj.get("task"), config, f"{where}: task")
    origin = obj.get("origin")
    if origin is not None and not isinstance(origin, str):
        raise InputError(f"{where}: origin: must be a string (got {origin!r})")
    return config, task, origin


def task_from_json(obj: Any, c: ModelConfig, where: str) -> Task:
    """Validates the task object: a name, one symbol per token (vocab) and one name per class."""
    if not isinstance(obj, dict):
        raise InputError(f"{where}: must be an object with name, alphabet, classes (got {obj!r})")
    for name in obj:
        if name not in ("name", "alphabet", "classes"):
            raise InputError(f"{where}.{name}: unknown field")
    if not isinstance(obj.get("name"), str) or obj["name"] == "":
        raise InputError(f"{where}.name: must be a non-empty string (got {obj.get('name')!r})")
    for key, size, what in (("alphabet", c.vocab, "vocab"), ("classes", c.classes, "classes")):
        v = obj.get(key)
        if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
            raise InputError(f"{where}.{key}: must be a list of strings (got {v!r})")
        if len(v) != size:
            raise InputError(f"{where}.{key}: {len(v)} entries, but config.{what} is {size}")
        if len(set(v)) != len(v):
            raise InputError(f"{where}.{key}: entries must be distinct (got {v!r})")
    return Task(obj["name"], tuple(obj["alphabet"]), tuple(obj["classes"]))


def load(directory: str | os.PathLike[str]) -> Model:
    """Reads and validates DIR/config.json and DIR/model.safetensors; weights come back as float32."""
    d = Path(directory)
    cpath, wpath = d / CONFIG_FILE, d / WEIGHTS_FILE
    try:
        text = cpath.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{cpath}: cannot read ({e})") from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{cpath}: not JSON ({e})") from None
    config, task, origin = config_from_json(obj, str(cpath))
    if not wpath.is_file():
        raise InputError(f"{wpath}: missing")
    try:
        raw = load_file(str(wpath))
    except (SafetensorError, OSError, ValueError, TypeError) as e:
        raise InputError(f"{wpath}: not a readable safetensors file ({e})") from None
    weights: dict[str, np.ndarray] = {}
    stored: dict[str, str] = {}
    shapes = param_shapes(config)
    for name, shape in shapes:
        if name not in raw:
            raise InputError(f"{wpath}: {name}: missing (family {config.family})")
        t = raw[name]
        if t.dtype.name not in READABLE:
            raise InputError(f"{wpath}: {name}: dtype {t.dtype.name} (accepted: F32, BF16, F16)")
        if tuple(t.shape) != shape:
            raise InputError(f"{wpath}: {name}: shape {list(t.shape)} should be {list(shape)}")
        x = t.astype(np.float32)
        if not np.all(np.isfinite(x)):
            raise InputError(f"{wpath}: {name}: holds a non-finite value")
        if name.endswith("mix.perm") and (why := perm_problem(x)) is not None:
            raise InputError(f"{wpath}: {name}: {why}")
        weights[name] = x
        stored[name] = READABLE[t.dtype.name]
    known = {name for name, _ in shapes}
    for name in raw:
        if name not in known:
            raise InputError(f"{wpath}: {name}: not a weight of family {config.family}")
    return Model(config, task, weights, origin, stored)


def save(directory: str | os.PathLike[str], config: ModelConfig, weights: dict[str, Any], task: Task,
         origin: str | None = None, dtype: str = "float32", force: bool = False) -> None:
    """Writes DIR/model.safetensors (dtype float32 by default) and DIR/config.json atomically.

    Refuses (InputError) when either file exists and force is False, or when the weights do not fit.
    """
    config.check("save")
    if dtype not in WRITABLE:
        raise InputError(f"save: dtype {dtype!r} (choose one of {', '.join(WRITABLE)})")
    task_from_json({"name": task.name, "alphabet": list(task.alphabet), "classes": list(task.classes)}, config, "save: task")
    d = Path(directory)
    cpath, wpath = d / CONFIG_FILE, d / WEIGHTS_FILE
    if not force:
        for p in (wpath, cpath):
            if p.exists():
                raise InputError(f"{p}: exists (use --force to overwrite)")
    tensors: dict[str, np.ndarray] = {}
    shapes = param_shapes(config)
    for name, shape in shapes:
        if name not in weights:
            raise InputError(f"save: {name}: missing (family {config.family})")
        x = np.asarray(weights[name], dtype=np.float32)
        if tuple(x.shape) != shape:
            raise InputError(f"save: {name}: shape {list(x.shape)} should be {list(shape)}")
        if not np.all(np.isfinite(x)):
            raise InputError(f"save: {name}: holds a non-finite value")
        if name.endswith("mix.perm") and (why := perm_problem(x)) is not None:
            raise InputError(f"save: {name}: {why}")
        tensors[name] = np.ascontiguousarray(x.astype(WRITABLE[dtype]))
        if name.endswith("mix.perm") and not np.array_equal(tensors[name].astype(np.float32), x):
            raise InputError(f"save: {name}: dtype {dtype} cannot hold the permutation indices exactly (state {shape[1]})")
    extra = sorted(set(weights) - {name for name, _ in shapes})
    if extra:
        raise InputError(f"save: {extra[0]}: not a weight of family {config.family}")
    d.mkdir(parents=True, exist_ok=True)
    body = json.dumps(config_to_json(config, task, origin), indent=2, ensure_ascii=False) + "\n"
    _atomic(wpath, lambda tmp: save_file(tensors, tmp))
    _atomic(cpath, lambda tmp: Path(tmp).write_text(body, encoding="utf-8"))


def _atomic(path: Path, write: Any) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a written file gets the usual mode
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def json_number(x: float) -> float:
    """A float for JSON output; InputError on NaN/inf, which JSON cannot carry."""
    if not math.isfinite(x):
        raise InputError(f"output: non-finite value {x}")
    return x
