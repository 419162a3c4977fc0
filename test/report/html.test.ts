// The report page from a real (tiny) results folder: written by the CLI, self-contained, and opened in
// Debian's headless Chromium (driven by playwright-core, no browser download) it shows the expected
// rows, sorts and filters, and logs no console error. The browser part is skipped, visibly, without
// /usr/bin/chromium (.ci/run installs it).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli/run-cli.js';
import { tinyGrid } from '../sweep/grids.js';
import { realResultsFolder } from './cells.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

let dir = '';
let page = '';
beforeAll(async () => {
  dir = realResultsFolder({ ...tinyGrid([1, 2]), name: 'report test' });
  page = join(dir, 'report.html');
  const r = await runCli('report', dir, '--out', page);
  expect(r.code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('eigenstate report', () => {
  it('writes one self-contained page: no external resource, plots and automata as inline SVG', () => {
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    // Only XML namespace names, never a fetched URL.
    const urls = [...html.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]).filter((u) => !u.startsWith('#') && u !== 'data:,');
    expect(urls).toEqual([]);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet/);
    expect(html).toContain('parity: accuracy against length');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(1);
  });

  it('--json gives the table as data; an existing page is not overwritten without --force', async () => {
    const r = await runCli('report', dir, '--json');
    const table = JSON.parse(r.stdout);
    expect(table.rows.map((x: { family: string; seeds: number }) => `${x.family} ${x.seeds}`)).toEqual(['lrnn-neg 2', 'lrnn-pos 2']);
    const again = await runCli('report', dir, '--out', page);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('file exists (pass --force to overwrite)');
    const notSweep = await runCli('report', join(dir, 'cells'));
    expect(notSweep.code).toBe(2);
  });

  (hasChromium ? it : it.skip)(`in headless Chromium: the expected rows, sorting, filtering, no console error${hasChromium ? '' : ' (skipped: no /usr/bin/chromium)'}`, async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      tab.on('pageerror', (e) => errors.push(String(e)));
      tab.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
      await tab.goto(`file://${page}`);
      const summary = tab.locator('#summary tbody tr');
      expect(await summary.count()).toBe(2);
      expect(await summary.nth(0).locator('td').nth(0).textContent()).toBe('parity');
      expect(await summary.nth(0).locator('td').nth(1).textContent()).toBe('lrnn-neg');
      expect(await summary.nth(1).locator('td').nth(1).textContent()).toBe('lrnn-pos');
      expect(await tab.locator('#cells tbody tr').count()).toBe(4);
      // Sorting: family descending puts lrnn-pos first.
      const familyHeader = tab.locator('#summary th', { hasText: 'family' });
      await familyHeader.click();
      await familyHeader.click();
      expect(await summary.nth(0).locator('td').nth(1).textContent()).toBe('lrnn-pos');
      // Filtering the cells table to one family hides the other's rows.
      await tab.locator('input[data-table="cells"]').fill('lrnn-neg');
      expect(await tab.locator('#cells tbody tr:visible').count()).toBe(2);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
