// `eigenstate import DIR|model.safetensors [--config config.json] --out ckpt.json`: a model trained elsewhere
// (PyTorch, JAX: docs/interop.md) as an eigenstate checkpoint. Argument parsing only; the work is in interop/.
import type { Command } from 'commander';
import { checkOutputFile } from '../files.js';
import { importCheckpoint } from '../interop/import.js';
import { parameterCount } from '../models/params.js';
import { writeCheckpoint } from '../models/checkpoint.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson } from './output.js';

interface ImportOptions {
  config?: string;
  out: string;
  force?: boolean;
  json?: boolean;
}

/** Registers `import`. */
export function registerImport(program: Command, wrap: Wrap): void {
  program
    .command('import')
    .argument('<source>', 'a folder holding model.safetensors and config.json, or a .safetensors file')
    .description('read a model trained elsewhere (safetensors + config.json, docs/interop.md) into a checkpoint')
    .option('-c, --config <file>', 'the config.json (default: config.json beside the tensors)')
    .requiredOption('-o, --out <file>', 'the checkpoint to write')
    .option('--force', 'overwrite the output file if it exists')
    .option('--json', 'print a summary as JSON')
    .action(
      wrap((source: string, opts: ImportOptions) => {
        checkOutputFile(opts.out, { force: opts.force ?? false });
        const result = importCheckpoint(source, opts.config);
        const { config } = result.checkpoint;
        writeCheckpoint(opts.out, result.checkpoint, { force: opts.force ?? false });
        const summary = {
          out: opts.out,
          tensors: result.tensorsFile,
          config: result.configFile,
          family: config.family,
          layers: config.layers,
          width: config.width,
          parameters: parameterCount(config),
          dtypes: result.dtypes,
          task: result.checkpoint.task.name,
        };
        if (opts.json) printJson(summary);
        else {
          print(
            `imported ${config.family} (${config.layers} layer${config.layers === 1 ? '' : 's'}, width ${config.width}, ` +
              `${summary.parameters} parameters, ${result.dtypes.join('/')}) for ${summary.task} from ${result.tensorsFile}`,
          );
          print(`wrote ${opts.out}`);
        }
        return EXIT.ok;
      }),
    );
}
