"""The CLI as the jest agreement tests call it (stdlib unittest; pytest also collects it):
    python/.venv/bin/python -m unittest discover -s python/tests
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parent.parent


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "eigenstate_ref", *args], cwd=PYTHON_DIR, capture_output=True, text=True)


class CliTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())

    def test_random_then_forward_last_and_every(self) -> None:
        words = self.tmp / "words.json"
        words.write_text(json.dumps([[0, 1, 1], [1], [2, 0, 1, 1, 0]]))
        for output in ("last", "every"):
            d = self.tmp / output
            r = cli("random", "--family", "deltanet-neg", "--seed", "3", "--out", str(d), "--vocab", "3", "--classes", "4",
                    "--width", "8", "--state", "8", "--heads", "2", "--norm", "rms", "--mlp", "5", "--output", output,
                    "--alphabet", "a,b,c")
            self.assertEqual(r.returncode, 0, r.stderr)
            cfg = json.loads((d / "config.json").read_text())
            self.assertEqual(cfg["task"], {"name": "parity", "alphabet": ["a", "b", "c"], "classes": ["class0", "class1", "class2", "class3"]})
            for dtype in ("float64", "float32"):
                out = self.tmp / f"{output}-{dtype}.json"
                r = cli("forward", str(d), "--words", str(words), "--out", str(out), "--dtype", dtype)
                self.assertEqual(r.returncode, 0, r.stderr)
                logits = json.loads(out.read_text())["logits"]
                self.assertEqual(len(logits), 3)
                for word, got in zip([3, 1, 5], logits, strict=True):
                    if output == "last":
                        self.assertEqual(len(got), 4)
                    else:
                        self.assertEqual([len(row) for row in got], [4] * word)
            f64 = json.loads((self.tmp / f"{output}-float64.json").read_text())["logits"]
            f32 = json.loads((self.tmp / f"{output}-float32.json").read_text())["logits"]
            self.assertNotEqual(f64, f32)  # two computations, close but not the same numbers
            self.assertAlmostEqual(f64[0][0] if output == "last" else f64[0][0][0], f32[0][0] if output == "last" else f32[0][0][0], places=4)

    def assert_exact_fp32_near_forward(self, d: Path, words: Path) -> list:
        """exact-fp32 and the float64 forward pass both run on the model in d and agree within 1e-5; returns the float64 logits."""
        for cmd in ("exact-fp32", "forward"):
            r = cli(cmd, str(d), "--words", str(words), "--out", str(self.tmp / f"{cmd}.json"))
            self.assertEqual(r.returncode, 0, r.stderr)
        exact = json.loads((self.tmp / "exact-fp32.json").read_text())["logits"]
        f64 = json.loads((self.tmp / "forward.json").read_text())["logits"]
        for a, b in zip(exact, f64, strict=True):
            for x, y in zip(a, b, strict=True):
                self.assertAlmostEqual(x, y, delta=1e-5)
        return f64

    def test_exact_fp32_close_to_float64_and_refuses_transformers(self) -> None:
        words = self.tmp / "words.json"
        words.write_text(json.dumps([[1, 0, 1, 1], [0]]))
        d = self.tmp / "lrnn"
        self.assertEqual(cli("random", "--family", "lrnn-neg", "--seed", "2", "--out", str(d), "--norm", "rms").returncode, 0)
        self.assert_exact_fp32_near_forward(d, words)
        t = self.tmp / "t"
        self.assertEqual(cli("random", "--family", "transformer", "--seed", "2", "--out", str(t), "--positions", "sinusoidal").returncode, 0)
        r = cli("exact-fp32", str(t), "--words", str(words), "--out", str(self.tmp / "t.json"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("recurrent families only", r.stderr)

    def test_lrnn_pd_runs_everywhere_and_a_bad_perm_is_refused(self) -> None:
        words = self.tmp / "words.json"
        words.write_text(json.dumps([[2, 0, 1, 2, 2], [1], [0, 0, 1]]))
        d = self.tmp / "pd"
        made = cli("random", "--family", "lrnn-pd", "--seed", "5", "--out", str(d), "--vocab", "3", "--layers", "2", "--norm", "rms",
                   "--width", "8", "--state", "8")
        self.assertEqual(made.returncode, 0, made.stderr)
        runs = {}
        for name, args in {"exact": ("exact-fp32",), "f64": ("forward",), "jax": ("forward", "--backend", "jax")}.items():
            r = cli(args[0], str(d), "--words", str(words), "--out", str(self.tmp / f"{name}.json"), *args[1:])
            self.assertEqual(r.returncode, 0, r.stderr)
            runs[name] = json.loads((self.tmp / f"{name}.json").read_text())["logits"]
        for name in ("exact", "jax"):
            for a, b in zip(runs[name], runs["f64"], strict=True):
                for x, y in zip(a, b, strict=True):
                    self.assertAlmostEqual(x, y, delta=1e-5)
        from safetensors.numpy import load_file, save_file

        tensors = load_file(str(d / "model.safetensors"))
        tensors["l1.mix.perm"][1, 0] = tensors["l1.mix.perm"][1, 1]  # row 1 now repeats an index
        save_file(tensors, str(d / "model.safetensors"))
        r = cli("forward", str(d), "--words", str(words), "--out", str(self.tmp / "bad.json"))
        self.assertEqual((r.returncode, r.stderr.count("\n")), (2, 1))
        self.assertIn("l1.mix.perm: row 1 is not a permutation", r.stderr)

    def test_short_convolution_config_tensors_and_exact_fp32(self) -> None:
        words = self.tmp / "words.json"
        words.write_text(json.dumps([[1, 0, 1, 1, 0, 0, 1], [0]]))
        d = self.tmp / "conv"
        made = cli("random", "--family", "deltanet-neg", "--seed", "4", "--out", str(d), "--heads", "2", "--width", "8",
                   "--state", "8", "--norm", "rms", "--conv", "3")
        self.assertEqual(made.returncode, 0, made.stderr)
        self.assertEqual(json.loads((d / "config.json").read_text())["conv"], 3)
        from safetensors.numpy import load_file

        tensors = load_file(str(d / "model.safetensors"))
        self.assertEqual({k: v.shape for k, v in tensors.items() if "conv" in k},
                         {f"l0.mix.conv{x}": (8, 3) for x in "qkv"})
        f64 = self.assert_exact_fp32_near_forward(d, words)
        plain = self.tmp / "plain"
        self.assertEqual(cli("random", "--family", "deltanet-neg", "--seed", "4", "--out", str(plain), "--heads", "2",
                             "--width", "8", "--state", "8", "--norm", "rms").returncode, 0)
        self.assertNotIn("conv", json.loads((plain / "config.json").read_text()))
        r = cli("forward", str(plain), "--words", str(words), "--out", str(self.tmp / "plain.json"))
        self.assertNotEqual(json.loads((self.tmp / "plain.json").read_text())["logits"], f64)  # the convolution is applied
        bad = cli("random", "--family", "lstm", "--seed", "1", "--conv", "2", "--out", str(self.tmp / "bad"))
        self.assertEqual((bad.returncode, bad.stderr.count("\n")), (2, 1))
        self.assertIn("config.conv", bad.stderr)

    def test_same_seed_same_bytes(self) -> None:
        for name in ("a", "b"):
            self.assertEqual(cli("random", "--family", "lrnn-complex", "--seed", "9", "--out", str(self.tmp / name)).returncode, 0)
        self.assertEqual((self.tmp / "a" / "model.safetensors").read_bytes(), (self.tmp / "b" / "model.safetensors").read_bytes())

    def test_bad_input_exits_2_with_one_line(self) -> None:
        d = self.tmp / "m"
        self.assertEqual(cli("random", "--family", "lstm", "--seed", "1", "--out", str(d)).returncode, 0)
        refused = cli("random", "--family", "lstm", "--seed", "1", "--out", str(d))
        self.assertEqual((refused.returncode, refused.stderr.count("\n")), (2, 1))
        self.assertIn("--force", refused.stderr)
        words = self.tmp / "w.json"
        words.write_text("[[0, 2]]")
        bad = cli("forward", str(d), "--words", str(words), "--out", str(self.tmp / "o.json"))
        self.assertEqual(bad.returncode, 2)
        self.assertIn("symbol 2", bad.stderr)
        odd = cli("random", "--family", "lrnn-complex", "--seed", "1", "--state", "5", "--out", str(self.tmp / "c"))
        self.assertEqual(odd.returncode, 2)
        self.assertIn("config.state", odd.stderr)


if __name__ == "__main__":
    unittest.main()
