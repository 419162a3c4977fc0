// A checkpoint -> an interop folder (model.safetensors + config.json). Both files are checked writable before
// either is written and each is written atomically; at F32 importing the folder gives the checkpoint back
// bit for bit.
import { join } from 'node:path';
import type { Checkpoint } from '../models/checkpoint.js';
import { paramShapes, type Tensor32 } from '../models/params.js';
import { checkOutputDirectory, checkOutputFile, ensureOutputDirectory, writeFileAtomic } from '../files.js';
import { interopConfigText } from './config-file.js';
import type { InteropDtype } from './dtype.js';
import { CONFIG_FILE, TENSORS_FILE } from './import.js';
import { encodeSafetensors } from './safetensors.js';

/** Writes `dir`/model.safetensors (tensors in paramShapes order, stored as `dtype`) and `dir`/config.json. */
export function exportCheckpoint(ckpt: Checkpoint, dir: string, dtype: InteropDtype, force: boolean): { tensorsFile: string; configFile: string } {
  const tensorsFile = join(dir, TENSORS_FILE);
  const configFile = join(dir, CONFIG_FILE);
  checkOutputDirectory(dir);
  ensureOutputDirectory(dir);
  checkOutputFile(tensorsFile, { force });
  checkOutputFile(configFile, { force });
  const tensors = paramShapes(ckpt.config).map(([name]) => [name, ckpt.weights[name]] as [string, Tensor32]);
  writeFileAtomic(tensorsFile, encodeSafetensors(tensors, dtype), { force });
  writeFileAtomic(configFile, interopConfigText(ckpt), { force });
  return { tensorsFile, configFile };
}
