// SVG through the WebAssembly build of Graphviz (@hpcc-js/wasm-graphviz): no system binary, nothing
// downloaded; the module is loaded once per process, on first use. Graphviz's layout time grows fast
// with the graph (a 100-state, 4-symbol automaton took 95 s; 200 states × 10 symbols overflowed the
// stack after 387 s), and nobody reads a drawing that large, so drawings past a size limit are skipped
// unless forced, and a drawing that fails is reported, never fatal: the caller's other files stand.
import { Graphviz } from '@hpcc-js/wasm-graphviz';

let graphviz: Promise<Graphviz> | undefined;

/** Lays out a DOT graph with Graphviz `dot` and returns the SVG text. */
export async function dotToSvg(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  return (await graphviz).dot(dot, 'svg');
}

/** The Graphviz version inside the WebAssembly build. */
export async function graphvizVersion(): Promise<string> {
  graphviz ??= Graphviz.load();
  return (await graphviz).version();
}

/** The largest drawing made without being forced: nodes and (merged) edges of the DOT graph. */
export interface DrawingLimit {
  readonly states: number;
  readonly edges: number;
}

/** 60 states and 600 edges: Graphviz lays these out in a few seconds, and they can still be read. */
export const DEFAULT_DRAWING_LIMIT: DrawingLimit = Object.freeze({ states: 60, edges: 600 });

/** States and edges a DOT graph written by `dfaToDot` draws (the start marker not counted). */
export function dotSize(dot: string): { states: number; edges: number } {
  let states = 0;
  let edges = 0;
  for (const line of dot.split('\n')) {
    if (/^\s*q\d+ -> q\d+/.test(line)) edges++;
    else if (/^\s*q\d+[\s;[]/.test(line)) states++;
  }
  return { states, edges };
}

/** A drawing, or the one-line reason there is none. */
export type Drawing = { readonly svg: string } | { readonly skipped: string; readonly why: 'limit' | 'failed' };

/**
 * Draws a DOT graph unless it is past `limit` (and not `force`d); a Graphviz failure (stack overflow,
 * out of memory inside WebAssembly) comes back as a reason too, never as an exception.
 */
export async function drawSvg(dot: string, options: { force?: boolean; limit?: DrawingLimit } = {}): Promise<Drawing> {
  const limit = options.limit ?? DEFAULT_DRAWING_LIMIT;
  const size = dotSize(dot);
  if (!options.force && (size.states > limit.states || size.edges > limit.edges))
    return {
      skipped: `not drawn: ${size.states} states and ${size.edges} edges exceed the drawing limit of ${limit.states} states and ${limit.edges} edges`,
      why: 'limit',
    };
  try {
    return { svg: await dotToSvg(dot) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A failed WebAssembly instance may be left broken: load a fresh one next time.
    graphviz = undefined;
    return { skipped: `drawing failed in Graphviz (${size.states} states, ${size.edges} edges): ${message}`, why: 'failed' };
  }
}
