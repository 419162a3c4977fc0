// Periodic checkpoint saving for one training run: the first write obeys --force (an existing file is
// refused before any training time is spent), later writes replace the run's own file, each atomically, so
// an interrupted or diverged run leaves its last good checkpoint on disk.
import { checkOutputFile as checkFile } from '../../files.js';
import { type Checkpoint, writeCheckpoint } from '../checkpoint.js';

/** Throws before training if the output cannot be written: it exists without force, its folder is missing, or the folder refuses files. */
export function checkOutputFile(file: string, force: boolean): void {
  checkFile(file, { force });
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
