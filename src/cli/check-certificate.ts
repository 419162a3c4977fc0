// `eigenstate check-certificate CERT CKPT`: re-verifies an all-lengths certificate with the small
// independent checker (src/verify/certificate/check.ts; block certificates: check-blocks.ts).
// Exit 0 valid, 1 invalid, 2 unreadable input.
import type { Command } from 'commander';
import { readCheckpoint } from '../models/checkpoint.js';
import { checkBlockCertificate } from '../verify/certificate/check-blocks.js';
import { checkCertificate, readCertificate, sha256OfFile } from '../verify/certificate/check.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson } from './output.js';

/** Registers `check-certificate`. */
export function registerCheckCertificate(program: Command, wrap: Wrap): void {
  program
    .command('check-certificate')
    .argument('<certificate>', 'a certificate written by verify --all-lengths')
    .argument('<checkpoint>', 'the checkpoint file it is about')
    .description('re-verify an all-lengths certificate with the independent checker (docs/all-lengths.md)')
    .option('--json', 'print the result as JSON')
    .action(
      wrap(async (certFile: string, ckptFile: string, opts: { json?: boolean }) => {
        const cert = readCertificate(certFile);
        const [ckpt, sha] = [readCheckpoint(ckptFile), sha256OfFile(ckptFile)];
        const outcome = 'kind' in cert ? checkBlockCertificate(cert, ckpt, sha) : checkCertificate(cert, ckpt, sha);
        if (opts.json) printJson({ certificate: certFile, checkpoint: ckptFile, ...outcome });
        else print(`${outcome.valid ? 'valid' : 'invalid'}: ${outcome.reason}`);
        return outcome.valid ? EXIT.ok : EXIT.claimFailed;
      }),
    );
}
