import { describe, expect, it } from '@jest/globals';
import { lineChartSvg } from '../src/plot.js';

describe('lineChartSvg', () => {
  it('draws every series with its name and is deterministic', async () => {
    const chart = {
      title: 'accuracy against length',
      xLabel: 'length',
      yLabel: 'accuracy',
      logX: true,
      series: [
        { name: 'fp32', points: [[1, 1], [64, 1], [1024, 0.5]] as [number, number][] },
        { name: 'fixed<2,4>', points: [[1, 1], [64, 0.25]] as [number, number][] },
      ],
    };
    const svg = await lineChartSvg(chart);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('fixed&lt;2,4&gt;');
    expect(svg).toContain('accuracy against length');
    expect(await lineChartSvg(chart)).toBe(svg);
  });
});
