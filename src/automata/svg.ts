// SVG through the WebAssembly build of Graphviz (@hpcc-js/wasm-graphviz): no system binary, nothing
// downloaded; the module is loaded once per process, on first use.
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
