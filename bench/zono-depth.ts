// Zonotopes through depth (abstract/zono-network.ts, certificate/zono-deep.ts, certificate/zono-net.ts): for
// two-layer checkpoints, the images of one box (a reachable state padded by 10^−2) under every block of
// 3 symbols by the search's ZonoNetwork, by the checker's own step (DeepZonotope; NetZonotope for rnn-tanh)
// and by the box step: seconds, and the mean width of a unit of the image's hull.
import { join } from 'node:path';
import { BoxNetwork } from '../src/abstract/box-network.js';
import type { Box } from '../src/abstract/box.js';
import { ZonoNetwork } from '../src/abstract/zono-network.js';
import { Zonotope } from '../src/abstract/zonotope.js';
import { formatColumns } from '../src/automata/table.js';
import { readCheckpoint } from '../src/models/checkpoint.js';
import { RecurrentNetworkExec } from '../src/precision/exec/network.js';
import { parseFormat } from '../src/precision/parse.js';
import { Rng } from '../src/random.js';
import type { V } from '../src/verify/certificate/check.js';
import { DeepZonotope } from '../src/verify/certificate/zono-deep.js';
import { NetZonotope } from '../src/verify/certificate/zono-net.js';

const MODELS = ['bench/models/allengths/rnn-tanh-2l-mlp-s239.json', 'bench/models/allengths/lrnn-neg-2l-mlp-s240.json', join('specs/checkpoints', 'tomita1-lstm-deadlayer.json')];
const BLOCK = 3;

/** A state reachable on a random word (seeded), padded by 10^−2. */
function startBox(file: string): Box {
  const ckpt = readCheckpoint(file);
  const exec = new RecurrentNetworkExec(ckpt.config, ckpt.weights, parseFormat('fp32'));
  const rng = new Rng(7);
  const lo = new Float64Array(exec.stateSize).fill(Infinity);
  const hi = new Float64Array(exec.stateSize).fill(-Infinity);
  for (let t = 0; t < 1; t++) {
    let s = new Float64Array(exec.stateSize);
    for (let i = rng.int(3, 12); i > 0; i--) {
      const next = new Float64Array(exec.stateSize);
      exec.step(rng.int(0, ckpt.config.vocab - 1), s, next);
      s = next;
    }
    s.forEach((v, i) => ((lo[i] = Math.min(lo[i], v - 1e-2)), (hi[i] = Math.max(hi[i], v + 1e-2))));
  }
  return { lo, hi };
}

const meanWidth = (lo: ArrayLike<number>, hi: ArrayLike<number>) => Array.from(lo).reduce((s, l, i) => s + hi[i] - l, 0) / lo.length;

function rows(file: string, arithmetic: string): string[][] {
  const ckpt = readCheckpoint(file);
  const fmt = arithmetic === 'real' ? null : parseFormat(arithmetic);
  const net = new BoxNetwork(ckpt.config, ckpt.weights, fmt);
  const box = startBox(file);
  const k = ckpt.config.vocab;
  const name = file.split('/').pop()?.replace('.json', '') ?? file;
  const out: string[][] = [];
  const time = (label: string, run: () => number[]): void => {
    const started = performance.now();
    const widths = run();
    out.push([name, arithmetic, label, ((performance.now() - started) / 1000).toFixed(2), (widths.reduce((s, w) => s + w, 0) / widths.length).toExponential(2)]);
  };
  time('search: ZonoNetwork', () => {
    const zono = new ZonoNetwork(ckpt.config, ckpt.weights, fmt, net);
    const widths: number[] = [];
    const walk = (z: Zonotope, depth: number): void => {
      for (let a = 0; a < k; a++) {
        const next = zono.step(z, a);
        if (depth + 1 === BLOCK) {
          const h = next.hull();
          widths.push(meanWidth(h.lo, h.hi));
        } else walk(next, depth + 1);
      }
    };
    walk(Zonotope.fromBox(box), 0);
    return widths;
  });
  time(ckpt.config.family === 'rnn-tanh' ? 'checker: NetZonotope' : 'checker: DeepZonotope', () => {
    const zono = ckpt.config.family === 'rnn-tanh' ? new NetZonotope(ckpt, fmt) : new DeepZonotope(ckpt, fmt);
    const widths: number[] = [];
    zono.images([...box.lo], [...box.hi], BLOCK, k, (_w, h: V) => {
      widths.push(meanWidth(h.map((x) => x[0]), h.map((x) => x[1])));
      return true;
    });
    return widths;
  });
  time('box step', () => {
    const widths: number[] = [];
    const walk = (b: Box, depth: number): void => {
      for (let a = 0; a < k; a++) {
        const next = net.step(a, b);
        if (depth + 1 === BLOCK) widths.push(meanWidth(next.lo, next.hi));
        else walk(next, depth + 1);
      }
    };
    walk(box, 0);
    return widths;
  });
  return out;
}

/** Prints the table. */
export async function benchZonoDepth(): Promise<void> {
  const table: string[][] = [['checkpoint', 'arithmetic', 'step', 'seconds', `mean unit width after ${BLOCK} symbols`]];
  for (const file of MODELS) for (const arithmetic of ['fp32', 'real']) table.push(...rows(file, arithmetic));
  console.log(formatColumns(table));
}
