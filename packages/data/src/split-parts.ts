/**
 * Parts of a split: its first examples (`trainLimit`, `testLimit`) and a per-class validation
 * part held out of it (`validation`).
 */
import { check } from '@slt/core';
import type { Split } from './dataset.js';

/** The first `limit` examples of `split` (copied, so the full split can be freed), or all of them. */
export function limitSplit(split: Split, limit: number | undefined, pixelsPerExample: number): Split {
  if (limit === undefined || limit >= split.count) return split;
  return {
    images: split.images.slice(0, limit * pixelsPerExample),
    labels: split.labels.slice(0, limit),
    count: limit,
  };
}

/**
 * `split` cut in two: per class, the last `fraction` of its examples (in split order) to
 * validate on, the rest to train on, each part keeping the split's order. Per class, so the
 * held-out part has the split's class balance whatever the order (mnist10k's round-robin ends
 * with only the larger classes); fixed, so every seed and method is judged on the same examples.
 */
export function holdOut(split: Split, fraction: number, pixelsPerExample: number): { train: Split; validation: Split } {
  check(fraction > 0 && fraction <= 0.5, () => `the validation fraction must be in (0, 0.5], got ${fraction}`);
  const perClass = new Map<number, number>();
  for (const label of split.labels) perClass.set(label, (perClass.get(label) ?? 0) + 1);
  const toHold = new Map([...perClass].map(([label, count]) => [label, Math.round(count * fraction)]));
  const held = new Uint8Array(split.count);
  for (let i = split.count - 1; i >= 0; i--) {
    const label = split.labels[i] as number;
    const left = toHold.get(label) as number;
    if (left > 0) {
      held[i] = 1;
      toHold.set(label, left - 1);
    }
  }
  const heldCount = held.reduce((sum, h) => sum + h, 0);
  check(
    heldCount >= 1 && heldCount < split.count,
    () => `a validation fraction of ${fraction} of ${split.count} examples leaves no part to hold out or to train on`,
  );
  const part = (keep: 0 | 1): Split => {
    const count = keep === 1 ? heldCount : split.count - heldCount;
    const images = new Float32Array(count * pixelsPerExample);
    const labels = new Uint8Array(count);
    let next = 0;
    for (let i = 0; i < split.count; i++) {
      if (held[i] !== keep) continue;
      images.set(split.images.subarray(i * pixelsPerExample, (i + 1) * pixelsPerExample), next * pixelsPerExample);
      labels[next++] = split.labels[i] as number;
    }
    return { images, labels, count };
  };
  return { train: part(0), validation: part(1) };
}
