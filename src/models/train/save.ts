// Periodic checkpoint saving for one training run: the first write obeys --force (an existing file is
// refused before any training time is spent), later writes replace the run's own file, each atomically, so
// an interrupted or diverged run leaves its last good checkpoint on disk.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { FileExistsError, InputError } from '../../errors.js';
import { type Checkpoint, writeCheckpoint } from '../checkpoint.js';

/** Throws before training if the output cannot be written: it exists without force, or its folder is missing. */
export function checkOutputFile(file: string, force: boolean): void {
  if (!force && existsSync(file)) throw new FileExistsError(file);
  const dir = dirname(file);
  if (!existsSync(dir)) throw new InputError(`${file}: directory ${dir} does not exist`);
}

/** A saver for the trainer's onCheckpoint: force on the first write as asked, always on later ones. */
export function checkpointSaver(file: string, force: boolean): { save: (ckpt: Checkpoint) => void; saves: () => number } {
  let count = 0;
  return {
    save: (ckpt) => {
      writeCheckpoint(file, ckpt, { force: force || count > 0 });
      count += 1;
    },
    saves: () => count,
  };
}
