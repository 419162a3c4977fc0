// Placeholder until the independent block checker lands: it accepts nothing, so no block proof is claimed.
import type { Checkpoint } from '../../models/checkpoint.js';
import type { CheckOutcome } from './check.js';
import type { BlockCertificate } from './format.js';

/** Re-verifies a block certificate (not yet built: always invalid). */
export function checkBlockCertificate(_cert: BlockCertificate, _ckpt: Checkpoint, _sha: string): CheckOutcome {
  return { valid: false, reason: 'the block certificate checker is not built yet' };
}
