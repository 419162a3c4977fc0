// A cell's stages reuse the commands' code, whose errors name command-line flags ("lower --lr or --clip");
// in a sweep the user sets those values in the grid file, so its cells' errors name the grid's fields
// instead ("lower train.lr or train.clip"). Flags with no grid field are left as they are.
import type { StageName } from './types.js';

/** The grid field of each flag whose value a grid sets (the same for every stage). */
const FIELDS: Record<string, string> = {
  '--width': 'model.width',
  '--state': 'model.state',
  '--layers': 'model.layers',
  '--mlp': 'model.mlp',
  '--heads': 'model.heads',
  '--norm': 'model.norm',
  '--output': 'model.output',
  '--positions': 'model.positions',
  '--max-len': 'model.maxLen',
  '--steps': 'train.steps',
  '--batch': 'train.batch',
  '--lr': 'train.lr',
  '--clip': 'train.clip',
  '--weight-decay': 'train.weightDecay',
  '--warmup': 'train.warmup',
  '--eval-every': 'train.evalEvery',
  '--target-acc': 'train.targetAcc',
  '--train-len': 'train.lengths',
  '--max-states': 'extract.maxStates',
  '--budget': 'verdict.budget',
  '--backend': 'backend',
};

/** The field behind --format, which depends on the stage. */
const FORMAT_FIELD: Partial<Record<StageName, string>> = { quantize: 'quantize.formats', extract: 'extract.format', verdict: 'verdict.format' };

/** The message with each flag the grid sets replaced by its grid field (the --micro-batch/--batch pair by train.batch). */
export function inGridTerms(message: string, stage: StageName | null): string {
  return message.replace(/--micro-batch\/--batch\b/g, 'train.batch').replace(/--[a-z][a-z-]*/g, (flag) => {
    if (flag === '--format' && stage !== null && FORMAT_FIELD[stage] !== undefined) return FORMAT_FIELD[stage];
    return FIELDS[flag] ?? flag;
  });
}
