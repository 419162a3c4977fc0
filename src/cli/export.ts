// `eigenstate export ckpt.json --out DIR [--dtype float32|bfloat16|float16]`: a checkpoint as
// model.safetensors + config.json (docs/interop.md), for PyTorch, JAX or the Python reference in python/.
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { parseInteropDtype } from '../interop/dtype.js';
import { exportCheckpoint } from '../interop/export.js';
import { readCheckpoint } from '../models/checkpoint.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson } from './output.js';

interface ExportOptions {
  out: string;
  dtype: string;
  force?: boolean;
  json?: boolean;
}

/** Registers `export`. */
export function registerExport(program: Command, wrap: Wrap): void {
  program
    .command('export')
    .argument('<checkpoint>', 'a checkpoint file')
    .description('write a checkpoint as model.safetensors + config.json (docs/interop.md); float32 round-trips bit for bit')
    .requiredOption('-o, --out <dir>', 'the folder to write (created if missing)')
    .option('--dtype <dtype>', 'tensor dtype: float32, bfloat16 or float16 (the last two round half to even)', 'float32')
    .option('--force', 'overwrite model.safetensors and config.json if they exist')
    .option('--json', 'print the written files as JSON')
    .action(
      wrap((file: string, opts: ExportOptions) => {
        const dtype = parseInteropDtype(opts.dtype);
        if (dtype === null) throw new InputError(`--dtype: '${opts.dtype}' is not float32, bfloat16 or float16`);
        const ckpt = readCheckpoint(file);
        const written = exportCheckpoint(ckpt, opts.out, dtype, opts.force ?? false);
        if (opts.json) printJson({ ...written, dtype });
        else print(`wrote ${written.tensorsFile} (${dtype}) and ${written.configFile}`);
        return EXIT.ok;
      }),
    );
}
