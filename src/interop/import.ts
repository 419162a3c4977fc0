// Safetensors + config.json -> a checkpoint. The tensor names are the checkpoint's weight names
// (models/params.ts), so the only translation is the dtype; everything else is checking, done in the order
// that reads the least: config.json, then the safetensors header against the config, then the tensor bytes.
import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { checkValues, type Checkpoint } from '../models/checkpoint.js';
import type { ModelConfig } from '../models/config.js';
import type { Weights } from '../models/params.js';
import { paramShapes } from '../models/params.js';
import { readInteropConfig } from './config-file.js';
import type { InteropDtype } from './dtype.js';
import { readSafetensors, readSafetensorsHeader, type SafetensorsHeader } from './safetensors.js';

/** The file name of the tensors inside an interop folder. */
export const TENSORS_FILE = 'model.safetensors';
/** The file name of the config inside an interop folder. */
export const CONFIG_FILE = 'config.json';

/** An imported model and where it came from. */
export interface ImportResult {
  checkpoint: Checkpoint;
  tensorsFile: string;
  configFile: string;
  /** The dtypes the tensors were stored in (all exact in float32). */
  dtypes: InteropDtype[];
}

/** The two files an import reads: a folder's pair, or a .safetensors file with config.json beside it (or `config`). */
function interopFiles(source: string, config?: string): { tensorsFile: string; configFile: string } {
  let isDir = false;
  try {
    isDir = statSync(source).isDirectory();
  } catch {
    throw new InputError(`${source}: no such file or directory`);
  }
  const tensorsFile = isDir ? join(source, TENSORS_FILE) : source;
  return { tensorsFile, configFile: config ?? join(isDir ? source : dirname(source), CONFIG_FILE) };
}

/** Reads and checks an interop model; InputError naming the file and the tensor or field at fault. */
export function importCheckpoint(source: string, config?: string): ImportResult {
  const { tensorsFile, configFile } = interopFiles(source, config);
  const meta = readInteropConfig(configFile);
  checkHeader(readSafetensorsHeader(tensorsFile), meta.config, tensorsFile, configFile);
  const { header, tensors } = readSafetensors(tensorsFile);
  const weights: Weights = {};
  for (const [name] of paramShapes(meta.config)) {
    const t = tensors.get(name)!;
    checkValues(name, t, `${tensorsFile}: tensor ${name}`, (i) => `: element ${i}`);
    weights[name] = t;
  }
  const checkpoint: Checkpoint = {
    config: meta.config,
    task: meta.task,
    training: meta.training ?? null,
    origin: meta.origin ?? `imported from ${basename(dirname(tensorsFile))}/${basename(tensorsFile)}`,
    ...(meta.exactAt === undefined ? {} : { exactAt: meta.exactAt }),
    weights,
  };
  const dtypes = [...new Set(header.tensors.map((t) => t.dtype))];
  return { checkpoint, tensorsFile, configFile, dtypes };
}

/** Every tensor the config asks for is there with its shape, and nothing else is (before any data is read). */
function checkHeader(header: SafetensorsHeader, config: ModelConfig, tensorsFile: string, configFile: string): void {
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  const expected = paramShapes(config);
  const names = new Set(expected.map(([name]) => name));
  const model = `${configFile} (family ${config.family}, ${config.layers} layer${config.layers === 1 ? '' : 's'}, width ${config.width}, state ${config.state}, mlp ${config.mlp}, norm ${config.norm})`;
  for (const [name, shape] of expected) {
    const t = byName.get(name);
    if (t === undefined) throw new InputError(`${tensorsFile}: tensor ${name}: missing (${model} needs it)`);
    if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
      throw new InputError(`${tensorsFile}: tensor ${name}: shape [${t.shape.join(', ')}], but ${model} needs [${shape.join(', ')}]`);
    }
  }
  for (const t of header.tensors) {
    if (!names.has(t.name)) throw new InputError(`${tensorsFile}: tensor ${t.name}: not a weight of ${model}`);
  }
}
