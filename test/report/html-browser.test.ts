/**
 * The HTML report in a real headless Chromium: it loads without console errors or requests,
 * shows hostile names as text, and its filters, sorting and pages work, at 20,000 findings too.
 * Chromium is part of the test setup (.ci/run installs it): without it this test fails.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/engine/report.js';
import { formatHtml } from '../../src/report/html.js';
import { HOSTILE_NAME, largeReport, smallReport } from './report-fixtures.js';

const CHROMIUM = process.env['DOCKAUDIT_CHROMIUM'] ?? '/usr/bin/chromium';

let browser: Browser;
let directory: string;
let small: Report;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is needed to test the HTML report and is not at ${CHROMIUM}: apt-get install chromium (or set DOCKAUDIT_CHROMIUM)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  directory = mkdtempSync(join(tmpdir(), 'dockaudit-html-'));
  small = await smallReport();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  /** Console errors, page errors, dialogs and requests seen so far. */
  troubles: string[];
  /** Milliseconds from navigation to the first rendered page of findings. */
  readyMs: number;
}

async function open(report: Report, name: string): Promise<Opened> {
  const file = join(directory, `${name}.html`);
  writeFileSync(file, formatHtml(report));
  const url = pathToFileURL(file).href;
  const page = await browser.newPage();
  const troubles: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') troubles.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => troubles.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    troubles.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (request) => {
    if (request.url() !== url && !request.url().startsWith('data:')) troubles.push(`request: ${request.url()}`);
  });
  await page.route('**/*', async (route) => {
    if (route.request().url() === url) return route.continue();
    troubles.push(`routed request: ${route.request().url()}`);
    return route.abort();
  });
  const start = Date.now();
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  return { page, troubles, readyMs: Date.now() - start };
}

const matching = async (page: Page): Promise<number> => Number(await page.getAttribute('#status-line', 'data-matching'));
const visible = (page: Page, attribute: string): Promise<string[]> =>
  page.$$eval(`#findings-table tbody tr.finding`, (rows, name) => rows.map((row) => row.getAttribute(name) ?? ''), attribute);

/** Waits for the filters' debounce and the re-render that follows. */
async function settled(page: Page, expected: number): Promise<void> {
  await page.waitForFunction((count) => document.querySelector("#status-line")?.getAttribute("data-matching") === String(count), expected, { timeout: 10_000 }).catch(async (error: unknown) => { throw new Error(`${String(error)}; matching ${await matching(page)}, expected ${expected}`); });
}

describe('HTML report in Chromium', () => {
  it('loads a real report with no console error and no request, and shows the hostile name as text', async () => {
    const { page, troubles } = await open(small, 'small');
    expect(await page.$$('img')).toHaveLength(0);
    expect(await page.$$('script')).toHaveLength(2);
    const subjects = await page.$$eval('td.subject', (cells) => cells.map((cell) => cell.textContent));
    expect(subjects).toContain(`container ${HOSTILE_NAME}`);
    // Everything but passes is listed at first.
    expect(await matching(page)).toBe(small.findings.filter((finding) => finding.status !== 'pass').length);
    expect(await page.textContent('#problems')).toContain('/etc/<x>: unreadable & "odd"');
    expect(troubles).toEqual([]);
    await page.close();
  });

  it('renders targets and fields named like the properties of every object (__proto__, constructor, toString)', async () => {
    const names = ['__proto__', 'constructor', 'toString'];
    const base = largeReport(small, 60);
    const report = {
      ...base,
      findings: base.findings.map((finding, index) => ({ ...finding, ...(finding.target !== undefined ? { target: names[index % 3] } : {}), baseline: names[index % 3] })),
      targets: names.map((name) => ({ address: `unix:///run/${name}.sock`, context: name, name, version: '27.0.0', reachable: true as const })),
    } as Report;
    const { page, troubles } = await open(report, 'prototype-names');
    expect(troubles).toEqual([]);
    const targets = await page.$$eval('#filter-target option', (options) => options.map((option) => option.getAttribute('value')));
    expect(targets).toEqual(['', ...names, 'files']);
    // The chart by target counts each of them.
    expect(await page.textContent('#charts')).toContain('constructor');
    await page.selectOption('#filter-target', 'constructor');
    const constructorOnly = report.findings.filter((finding) => finding.target === 'constructor' && finding.status !== 'pass');
    await settled(page, constructorOnly.length);
    expect(troubles).toEqual([]);
    await page.close();
  });

  it('filters by status, section, subject and text, and sorts by a column both ways', async () => {
    const { page, troubles } = await open(small, 'filters');
    const notPass = small.findings.filter((finding) => finding.status !== 'pass');

    await page.uncheck('#filter-status input[value="fail"]');
    const withoutFail = notPass.filter((finding) => finding.status !== 'fail');
    await settled(page, withoutFail.length);
    expect(await visible(page, 'data-status')).not.toContain('fail');
    await page.check('#filter-status input[value="fail"]');
    await settled(page, notPass.length);

    await page.selectOption('#filter-family', 'daemon');
    const daemonOnly = notPass.filter((finding) => finding.family === 'daemon');
    expect(daemonOnly.length).toBeGreaterThan(0);
    await settled(page, daemonOnly.length);
    expect(new Set(await visible(page, 'data-family'))).toEqual(new Set(['daemon']));
    await page.selectOption('#filter-family', '');
    await settled(page, notPass.length);

    await page.fill('#filter-subject', '</script>');
    const hostile = notPass.filter((finding) => finding.subject.name === HOSTILE_NAME);
    expect(hostile.length).toBeGreaterThan(0);
    await settled(page, hostile.length);
    await page.fill('#filter-subject', '');
    await settled(page, notPass.length);

    // The search reads rule ids, titles and messages: DA504 and DA518 say "see DA505".
    await page.fill('#filter-search', 'da505');
    const mentioning = notPass.filter((finding) => finding.ruleId === 'DA505' || finding.message.includes('DA505'));
    expect(new Set(mentioning.map((finding) => finding.ruleId))).toEqual(new Set(['DA504', 'DA505', 'DA518']));
    await settled(page, mentioning.length);
    await page.fill('#filter-search', '');
    await settled(page, notPass.length);

    const rank = ['critical', 'high', 'medium', 'low', 'info'];
    await page.click('th button[data-sort="severity"]');
    await page.waitForSelector('th[aria-sort="ascending"] button[data-sort="severity"]');
    const ascending = (await visible(page, 'data-severity')).map((severity) => rank.indexOf(severity));
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(new Set(ascending).size).toBeGreaterThan(1);
    await page.click('th button[data-sort="severity"]');
    await page.waitForSelector('th[aria-sort="descending"] button[data-sort="severity"]');
    const descending = (await visible(page, 'data-severity')).map((severity) => rank.indexOf(severity));
    expect(descending).toEqual([...descending].sort((a, b) => b - a));

    // A row opens its details: the fix and the references.
    await page.click(`#findings-table tbody tr.finding[data-status="fail"]`);
    const details = await page.textContent('#findings-table tbody tr.detail');
    expect(details).toContain('fix');
    expect(details).toContain('CIS');
    expect(troubles).toEqual([]);
    await page.close();
  });

  it('stays usable with 20,000 findings over two targets, with extra fields shown generically', async () => {
    const large = largeReport(small, 20_000);
    const html = formatHtml(large);
    const { page, troubles, readyMs } = await open(large, 'large');
    const renderMs = Number(await page.getAttribute('html', 'data-render-ms'));
    // One page of rows in the document, not twenty thousand.
    expect((await visible(page, 'data-status')).length).toBe(100);
    const notPass = large.findings.filter((finding) => finding.status !== 'pass');
    expect(await matching(page)).toBe(notPass.length);

    const filterStart = Date.now();
    await page.selectOption('#filter-target', 'beta');
    await settled(page, notPass.filter((finding) => finding.target === 'beta').length);
    const filterMs = Date.now() - filterStart;
    await page.selectOption('#filter-extra-baseline', 'new');
    await settled(page, notPass.filter((finding) => finding.target === 'beta' && (finding as { baseline?: string }).baseline === 'new').length);
    await page.selectOption('#filter-target', '');
    await page.selectOption('#filter-extra-baseline', '');
    await settled(page, notPass.length);
    await page.click('#page-last');
    expect(await page.textContent('#page-label')).toBe(`page ${Math.ceil(notPass.length / 100)} of ${Math.ceil(notPass.length / 100)}`);

    // The chart per target, and the per-control list shown as a table with its hostile title as text.
    expect(await page.$$eval('.chart', (charts) => charts.map((chart) => chart.querySelector('h3')?.textContent))).toEqual(['By section', 'By target']);
    expect(await page.textContent('section[data-key="controls"] table')).toContain(HOSTILE_NAME);
    expect(await page.$$('img')).toHaveLength(0);
    expect(troubles).toEqual([]);
    console.log(`HTML report, 20,000 findings: ${(Buffer.byteLength(html) / 1024 / 1024).toFixed(2)} MiB, ready ${readyMs} ms after navigation (script ${renderMs} ms), a filter ${filterMs} ms`);
    await page.close();
  });
});
