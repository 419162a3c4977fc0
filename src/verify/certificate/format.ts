// The all-lengths certificate files (docs/all-lengths.md, "The certificate and its checker"), for one
// checkpoint (by SHA-256 of its file) at one number format or over the reals. Three kinds:
//   - boxes (no `kind` field): an inductive invariant as an abstract automaton, one box of network states
//     per abstract state with its task-DFA state, its last symbol and its successor on every symbol;
//   - blocks (`kind: "blocks"`): one box per (task-DFA state, last j symbols), inductive under j-symbol
//     blocks, which the checker follows with zonotopes (relational, so a contracting network's boxes
//     shrink over a block where one interval step per symbol would only grow them).
//   - split blocks (`kind: "split-blocks"`): as blocks, but each (task-DFA state, last j symbols) holds a
//     union of boxes (parts), each of whose block images must lie in one part of its successor;
//   - split blocks with cuts (`kind: "split-cuts"`): as split blocks, each part a box cut by hyperplanes.
// Validated with zod on read; every problem names the file and the field. Shared by the search (writer)
// and the checker (reader).
import { z } from 'zod';

/** The `format` tag of certificate files. */
export const CERTIFICATE_FORMAT = 'eigenstate/all-lengths-certificate';
/** The current certificate version; files of another version are refused. */
export const CERTIFICATE_VERSION = 1;

const finite = z.number().refine(Number.isFinite, 'not a finite number');

/** The zod schema of a certificate file. */
const header = {
  format: z.literal(CERTIFICATE_FORMAT),
  version: z.literal(CERTIFICATE_VERSION),
  checkpoint: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), family: z.string() }),
  task: z.string().min(1),
  /** A number format name, or 'real' for exact real arithmetic. */
  arithmetic: z.string().min(1),
  /** The claim covers every word of at least this length (absent: 1, every non-empty word). */
  minLength: z.number().int().min(1).max(1_000_000).optional(),
  /** Depth of the readout bisection the checker may use. */
  readoutSplits: z.number().int().min(0).max(24),
  /** The task automaton the invariant follows (complete, Moore). */
  dfa: z.object({
    alphabet: z.array(z.string()).min(1),
    classes: z.array(z.string()).min(1),
    start: z.number().int().min(0),
    table: z.array(z.number().int().min(0)),
    labels: z.array(z.number().int().min(0)),
  }),
};

/** The zod schema of a box certificate file. */
export const certificateSchema = z.object({
  ...header,
  /** initial[a]: the abstract state holding the state after the one-symbol word a. */
  initial: z.array(z.number().int().min(0)).min(1),
  states: z
    .array(
      z.object({
        /** The task-DFA state every word ending here reaches. */
        ref: z.number().int().min(0),
        /** The last symbol read (the readout depends on it). */
        last: z.number().int().min(0),
        /** next[a]: the abstract state after reading a. */
        next: z.array(z.number().int().min(0)),
        lo: z.array(finite),
        hi: z.array(finite),
      }),
    )
    .min(1),
});

/** A box certificate as read from (or written to) a file. */
export type Certificate = z.infer<typeof certificateSchema>;

// What a block and a split block certificate share: j, and per state its task state and last j symbols.
/** j: the length of a block and of the suffix that names a box. */
const blockLength = z.number().int().min(1).max(12);
const blockKey = {
  ref: z.number().int().min(0),
  /** The last j symbols read. */
  suffix: z.array(z.number().int().min(0)),
};
const box = { lo: z.array(finite), hi: z.array(finite) };

/**
 * The zod schema of a block certificate: box(q, w) must hold the state after every word of length at
 * least `block` that reaches task state q and ends in the j = `block` symbols w. The checker verifies
 *   B1. every word shorter than 2j gets its class, and those of length j..2j−1 end inside their box;
 *   B2. for every box and every block w of j symbols, the zonotope image of the box under w lies in
 *       box(δ(q, w), w);
 *   B3. the readout gives every point of box(q, w) the class of q (last symbol: the end of w).
 * By induction on the length (a word of length >= 2j is x·w with |x| >= j) every non-empty word is right.
 * With `minLength` N the boxes hold the words of length >= L0 = max(j, N); B1 checks the words of length
 * N..L0+j−1 (their boxes from L0 on), and a word of length >= L0 + j is x·w with |x| >= L0.
 */
export const blockCertificateSchema = z.object({
  ...header,
  kind: z.literal('blocks'),
  block: blockLength,
  states: z.array(z.object({ ...blockKey, ...box })).min(1),
});

/** A block certificate as read from (or written to) a file. */
export type BlockCertificate = z.infer<typeof blockCertificateSchema>;

/** Most parts of one split block state (a certificate asking for more is refused on read). */
export const MAX_SPLIT_PARTS = 64;

/** The states of a split certificate: at least one (ref, suffix), each with 1..MAX_SPLIT_PARTS parts of the given schema. */
function splitStates<P extends z.ZodTypeAny>(part: P) {
  return z.array(z.object({ ...blockKey, parts: z.array(part).min(1).max(MAX_SPLIT_PARTS) })).min(1);
}

/**
 * The zod schema of a split block certificate: as a block certificate, but the set of (q, w) is the
 * UNION of its parts (boxes), so states that a single box cannot separate (a network that keeps an
 * irrelevant period, say) are held by several boxes. The checker verifies
 *   B1. as for blocks, with "ends inside their box" read as "inside one part of their state";
 *   B2. for every part P of every (q, v) and every block w, the zonotope image of P under w lies inside
 *       ONE part of (δ(q, w), w) (containment in one box: no union of zonotopes is ever tested);
 *   B3. the readout gives every point of every part the class of q.
 * The induction of the block certificate goes through with "in the union" for "in the box": the state
 * after x lies in some part P, and the image of P under w in one part of the next state.
 * A block certificate is the split one whose states have one part each.
 */
export const splitBlockCertificateSchema = z.object({
  ...header,
  kind: z.literal('split-blocks'),
  block: blockLength,
  /** Per (ref, suffix): the boxes whose union holds its states. */
  states: splitStates(z.object(box)),
});

/** A split block certificate as read from (or written to) a file. */
export type SplitBlockCertificate = z.infer<typeof splitBlockCertificateSchema>;

/** Most hyperplane cuts of one part of a split certificate with cuts. */
export const MAX_PART_CUTS = 16;

/**
 * The zod schema of a split block certificate with hyperplane cuts (`kind: "split-cuts"`): as `split-blocks`,
 * but each part is its box intersected with half-spaces {x : w·x <= c} (its cuts), so parts can follow
 * clusters of states that lie along a diagonal. The checker verifies B1–B3 of `split-blocks` with "in a
 * part" read as "in its box and on the inner side of each of its cuts" (the sum w·x bounded above with
 * directed rounding) and B3 over box ∩ cuts; a block image starts from the part's box (a superset).
 * A `split-blocks` certificate is the one whose parts have no cuts.
 */
export const splitCutsCertificateSchema = z.object({
  ...header,
  kind: z.literal('split-cuts'),
  block: blockLength,
  /** Per (ref, suffix): the parts (box ∩ cuts) whose union holds its states. */
  states: splitStates(z.object({ ...box, cuts: z.array(z.object({ w: z.array(finite).min(1), c: finite })).max(MAX_PART_CUTS) })),
});

/** A split block certificate with cuts as read from (or written to) a file. */
export type SplitCutsCertificate = z.infer<typeof splitCutsCertificateSchema>;

/** Any block certificate: one box, several boxes, or several boxes with cuts per (task state, last j symbols). */
export type AnyBlockCertificate = BlockCertificate | SplitBlockCertificate | SplitCutsCertificate;

/** Any certificate file. */
export type AnyCertificate = Certificate | AnyBlockCertificate;
