// Writes public/digits.json: the first two test digits of each class of mnist10k, as float32
// pixels exactly as @slt/data loads them (base64, little-endian), for the page's sample strip.
// Usage: pnpm -r --filter @slt/data build && node examples/browser-mnist/make-digits.mjs
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '@slt/data';

const perClass = 2;
const { test, info } = await loadDataset('mnist10k', { trainLimit: 1 });
const pixels = info.inputShape.reduce((a, b) => a * b, 1);
const digits = [];
for (let label = 0; label < info.classes; label++) {
  let taken = 0;
  for (let i = 0; i < test.count && taken < perClass; i++) {
    if (test.labels[i] !== label) continue;
    const image = test.images.slice(i * pixels, (i + 1) * pixels);
    digits.push({ index: i, label, pixels: Buffer.from(image.buffer).toString('base64') });
    taken++;
  }
}
const out = { dataset: info.name, split: 'test', shape: info.inputShape, digits };
writeFileSync(join(import.meta.dirname, 'public', 'digits.json'), `${JSON.stringify(out)}\n`);
console.log(`wrote ${digits.length} digits`);
