// The page: load the ticket, rebuild it on the WASM backend, and classify drawn or picked digits.

import { encodeTicket } from '@slt/ticket';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { env, getBackend, ready, setBackend } from '@tensorflow/tfjs-core';
import { classify, type LoadedTicket, loadTicket } from './classifier.js';
import { padToImage, paintImage, showOnPad } from './draw.js';

const TICKET_URL = './lenet300-mnist10k.slt';
const SUMMARY_URL = './lenet300-mnist10k.summary.json';
const DIGITS_URL = './digits.json';

interface Sample {
  readonly label: number;
  readonly pixels: Float32Array;
}

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function decodePixels(base64: string): Float32Array {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
}

function argMax(values: Float32Array, offset: number, count: number): number {
  let best = 0;
  for (let i = 1; i < count; i++) if (values[offset + i] > values[offset + best]) best = i;
  return best;
}

function fact(term: string, value: string): void {
  const facts = element<HTMLDListElement>('facts');
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  facts.append(dt, dd);
}

function showPrediction(probabilities: Float32Array, ms: number, what: string): void {
  const classes = probabilities.length;
  const top = argMax(probabilities, 0, classes);
  element('prediction').textContent = String(top);
  element('timing').textContent = `${what}: ${ms.toFixed(2)} ms on ${getBackend()} (batch 1, incl. read-back)`;
  const bars = element<HTMLOListElement>('bars');
  bars.replaceChildren(
    ...Array.from(probabilities, (p, digit) => {
      const li = document.createElement('li');
      if (digit === top) li.className = 'top';
      li.innerHTML = `<span>${digit}</span><span class="bar"><span class="fill" style="width:${(p * 100).toFixed(1)}%;display:block"></span></span><span>${(p * 100).toFixed(1)}%</span>`;
      return li;
    }),
  );
}

function setUpPad(loaded: LoadedTicket): void {
  const pad = element<HTMLCanvasElement>('pad');
  const context = pad.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
  const clear = () => {
    context.fillStyle = '#000';
    context.fillRect(0, 0, pad.width, pad.height);
  };
  clear();
  let drawing = false;
  let last: [number, number] = [0, 0];
  const point = (event: PointerEvent): [number, number] => {
    const rect = pad.getBoundingClientRect();
    return [
      ((event.clientX - rect.left) * pad.width) / rect.width,
      ((event.clientY - rect.top) * pad.height) / rect.height,
    ];
  };
  pad.addEventListener('pointerdown', (event) => {
    drawing = true;
    last = point(event);
    pad.setPointerCapture(event.pointerId);
  });
  pad.addEventListener('pointermove', (event) => {
    if (!drawing) return;
    const next = point(event);
    context.strokeStyle = '#fff';
    context.lineWidth = 22;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.beginPath();
    context.moveTo(...last);
    context.lineTo(...next);
    context.stroke();
    last = next;
  });
  const finish = async () => {
    if (!drawing) return;
    drawing = false;
    const image = padToImage(pad);
    if (image === null) return;
    const { probabilities, ms } = await classify(loaded, image, 1);
    showPrediction(probabilities, ms, 'your drawing');
  };
  pad.addEventListener('pointerup', finish);
  pad.addEventListener('pointercancel', finish);
  element('clear').addEventListener('click', () => {
    clear();
    element('prediction').textContent = '–';
    element('timing').textContent = '';
    element('bars').replaceChildren();
  });
}

async function setUpSamples(loaded: LoadedTicket, samples: readonly Sample[]): Promise<number[]> {
  const pixels = loaded.info.inputShape.reduce((a, b) => a * b, 1);
  const batch = new Float32Array(samples.length * pixels);
  for (const [i, s] of samples.entries()) batch.set(s.pixels, i * pixels);
  const { probabilities } = await classify(loaded, batch, samples.length);
  const predictions = samples.map((_, i) => argMax(probabilities, i * loaded.info.classes, loaded.info.classes));
  const container = element('samples');
  container.replaceChildren(
    ...samples.map((sample, i) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sample';
      button.dataset.label = String(sample.label);
      button.dataset.prediction = String(predictions[i]);
      const canvas = document.createElement('canvas');
      paintImage(canvas, sample.pixels);
      const caption = document.createElement('span');
      caption.className = predictions[i] === sample.label ? 'ok' : 'wrong';
      caption.textContent = `${sample.label} → ${predictions[i]}`;
      button.append(canvas, caption);
      button.addEventListener('click', async () => {
        showOnPad(element('pad'), sample.pixels);
        const { probabilities: p, ms } = await classify(loaded, sample.pixels, 1);
        showPrediction(p, ms, `test digit #${i + 1}`);
      });
      return button;
    }),
  );
  return predictions;
}

async function start(): Promise<void> {
  setWasmPaths(new URL('./tfjs-wasm/', window.location.href).href);
  await setBackend('wasm');
  await ready();
  const simd = await env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const [loaded, summary, digits] = await Promise.all([
    loadTicket(TICKET_URL),
    fetch(SUMMARY_URL).then((r) => (r.ok ? r.json() : null)),
    fetch(DIGITS_URL).then((r) => r.json()),
  ]);
  const { ticket } = loaded;
  const total = [...ticket.masks.values()].reduce((n, m) => n + m.length, 0);
  const kept = [...ticket.masks.values()].reduce((n, m) => n + m.reduce((a, b) => a + b, 0), 0);
  element('facts').replaceChildren();
  const riceBytes = encodeTicket({ ...ticket, encoding: 'rice' }).length;
  fact('file', `${TICKET_URL.slice(2)}: ${(loaded.bytes / 1024).toFixed(1)} KiB (1 bit per weight)`);
  fact('Rice-coded', `${(riceBytes / 1024).toFixed(1)} KiB (${((riceBytes * 8) / total).toFixed(2)} bits per weight)`);
  const inputs = (ticket.modelArgs.inputShape as number[]).reduce((a, b) => a * b, 1);
  const widths = [inputs, ...(ticket.modelArgs.hidden as number[]), ticket.modelArgs.classes as number];
  fact('network', `${ticket.model}: ${widths.join('-')}, ${String(ticket.modelArgs.activation)}, no bias`);
  fact(
    'weights kept',
    `${kept.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} (sparsity ${(ticket.sparsity * 100).toFixed(2)}%)`,
  );
  fact('init / seed', `${ticket.init}, seed ${ticket.seed}`);
  fact('found by', `${ticket.gate} gates, ${ticket.structure}, on ${ticket.dataset}`);
  if (summary !== null)
    fact('test accuracy', `${(summary.test_acc * 100).toFixed(2)}% (search summary, binary ticket)`);
  fact('rebuild', `${loaded.rebuildMs.toFixed(0)} ms to regenerate and mask the weights`);
  fact('backend', `${getBackend()}${simd ? ' (SIMD)' : ''}`);
  fact('fingerprint', `sha256 ${ticket.fingerprint.slice(0, 16)}… verified`);
  const samples: Sample[] = digits.digits.map((d: { label: number; pixels: string }) => ({
    label: d.label,
    pixels: decodePixels(d.pixels),
  }));
  setUpPad(loaded);
  const predictions = await setUpSamples(loaded, samples);
  // A first single-digit run warms the backend, so the times shown are steady-state.
  await classify(loaded, samples[0].pixels, 1);
  const { probabilities, ms } = await classify(loaded, samples[0].pixels, 1);
  showOnPad(element('pad'), samples[0].pixels);
  showPrediction(probabilities, ms, 'test digit #1');
  (window as unknown as { sltDemo: unknown }).sltDemo = { predictions, backend: getBackend() };
  document.body.dataset.state = 'ready';
}

start().catch((error: unknown) => {
  element('status').textContent = `failed: ${(error as Error).message}`;
  document.body.dataset.state = 'error';
  console.error(error);
});
