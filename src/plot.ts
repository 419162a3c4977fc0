// Line charts as SVG, for the plots researchers would rather look at than read (accuracy against length
// per format, transformer width against N). Vega-Lite compiles the chart, Vega renders it headless; both
// load on the first chart (0.7 s of CPU), not with every module that can plot.

/** One named line of points. */
export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
}

/** What to draw: titled axes and one or more series. */
export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** Logarithmic axes (base 2 for x suits lengths and sizes). */
  logX?: boolean;
  logY?: boolean;
  /** A fixed y range (e.g. [0, 1] for accuracy); otherwise the data's, with a flat line's widened. */
  yDomain?: readonly [number, number];
  width?: number;
  height?: number;
}

/** The y domain: the chart's own, or around a flat line (one value has one tick, printed to 6 digits). */
function yDomain(chart: LineChart, values: readonly { y: number }[]): { domain?: [number, number] } {
  if (chart.yDomain !== undefined) return { domain: [chart.yDomain[0], chart.yDomain[1]] };
  const ys = values.map((v) => v.y);
  if (ys.length === 0 || chart.logY === true || Math.min(...ys) !== Math.max(...ys)) return {};
  const pad = Math.abs(ys[0]) > 0 ? Math.abs(ys[0]) / 2 : 1;
  return { domain: [ys[0] - pad, ys[0] + pad] };
}

/** Renders a line chart to a standalone SVG document (deterministic for the same input). */
export async function lineChartSvg(chart: LineChart): Promise<string> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const values = chart.series.flatMap((s) => s.points.map(([x, y]) => ({ x, y, series: s.name })));
  const scale = (log: boolean | undefined, base: number) => (log === true ? { type: 'log' as const, base } : { zero: false });
  const spec = vl.compile({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: chart.title,
    width: chart.width ?? 480,
    height: chart.height ?? 300,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: chart.xLabel, scale: scale(chart.logX, 2) },
      y: { field: 'y', type: 'quantitative', title: chart.yLabel, scale: { ...scale(chart.logY, 10), ...yDomain(chart, values) } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  }).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
