// End to end: build the page with Vite, serve it on 127.0.0.1, open it in Debian's Chromium, and
// check that the browser's predictions for the embedded test digits equal Node's for the same ticket.
import '@tensorflow/tfjs-backend-wasm';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { MNIST10K_INFO, normalizeImages } from '@slt/data';
import { decodeTicket, rebuildWeights, weightTensors } from '@slt/ticket';
import { argMax, dispose, ready, setBackend, tensor, tidy } from '@tensorflow/tfjs-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = import.meta.dirname;
const chromiumPath = '/usr/bin/chromium';
const out = mkdtempSync(join(tmpdir(), 'slt-browser-mnist-'));
const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

let server: Server;
let browser: Browser;
let page: Page;
let origin: string;
const consoleErrors: string[] = [];

beforeAll(async () => {
  await build({
    root: here,
    configFile: join(here, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: out, emptyOutDir: true },
  });
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(out, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(out) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1100, height: 860 } });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(`${origin}/index.html`);
  await page.waitForSelector('body[data-state]', { timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(out, { recursive: true, force: true });
});

/** Node's predictions for the page's embedded digits, from the same ticket on the WASM backend. */
async function nodePredictions(): Promise<{ labels: number[]; predictions: number[] }> {
  await setBackend('wasm');
  await ready();
  const ticket = decodeTicket(new Uint8Array(readFileSync(join(here, 'public/lenet300-mnist10k.slt'))));
  const { model, weights } = rebuildWeights(ticket);
  const digits = JSON.parse(readFileSync(join(here, 'public/digits.json'), 'utf8')) as {
    digits: Array<{ label: number; pixels: string }>;
  };
  const pixels = new Float32Array(digits.digits.length * 784);
  digits.digits.forEach((d, i) => {
    const bytes = Buffer.from(d.pixels, 'base64');
    pixels.set(new Float32Array(bytes.buffer, bytes.byteOffset, 784), i * 784);
  });
  const tensors = weightTensors(model, weights);
  const predicted = tidy(() => {
    const x = normalizeImages(tensor(pixels, [digits.digits.length, 28, 28, 1]), MNIST10K_INFO);
    return argMax(model.apply(tensors, x, { training: false }), -1);
  });
  const predictions = Array.from(await predicted.data());
  dispose([predicted, ...Object.values(tensors)]);
  return { labels: digits.digits.map((d) => d.label), predictions };
}

describe('browser-mnist page', () => {
  it('loads, rebuilds the ticket on WASM and verifies its fingerprint', async () => {
    const state = await page.getAttribute('body', 'data-state');
    if (state !== 'ready') throw new Error(`page did not start: ${await page.textContent('#facts')}`);
    const facts = await page.textContent('#facts');
    expect(facts).toContain('wasm (SIMD)');
    expect(facts).toContain('verified');
    expect(consoleErrors).toEqual([]);
  });

  it('predicts the embedded test digits exactly as Node does', async () => {
    const browserPredictions = await page.evaluate(
      () => (window as unknown as { sltDemo: { predictions: number[] } }).sltDemo.predictions,
    );
    const node = await nodePredictions();
    expect(browserPredictions).toEqual(node.predictions);
    const shown = await page.$$eval('.sample', (buttons) =>
      buttons.map((b) => Number((b as HTMLElement).dataset.prediction)),
    );
    expect(shown).toEqual(node.predictions);
    const correct = node.predictions.filter((p, i) => p === node.labels[i]).length;
    expect(correct).toBeGreaterThanOrEqual(16); // a 0.93-accuracy ticket on 20 digits
  });

  it('classifies a digit drawn on the pad', async () => {
    await page.click('#clear');
    const box = await page.locator('#pad').boundingBox();
    if (box === null) throw new Error('no drawing pad');
    // A "7": a top bar, then a diagonal down to the left.
    await page.mouse.move(box.x + 80, box.y + 60);
    await page.mouse.down();
    await page.mouse.move(box.x + 200, box.y + 60, { steps: 12 });
    await page.mouse.move(box.x + 120, box.y + 230, { steps: 16 });
    await page.mouse.up();
    await page.waitForFunction(() => document.getElementById('prediction')?.textContent !== '–');
    expect(await page.textContent('#prediction')).toBe('7');
    expect(await page.textContent('#timing')).toMatch(/ms on wasm/);
    const shot = join(out, 'browser-mnist.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).length).toBeGreaterThan(10_000);
    if (process.env.SLT_UPDATE_SCREENSHOT) copyFileSync(shot, join(here, '../../docs/browser-mnist.png'));
  });
});
