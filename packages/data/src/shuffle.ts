/**
 * Seeded shuffling of example indices, one permutation per epoch: Fisher-Yates (Durstenfeld,
 * "Algorithm 235: Random permutation", CACM 1964) driven by slt's Philox stream
 * `shuffle/<epoch>` of the run's seed, so an epoch's order is a pure function of (seed, epoch)
 * and a resumed run sees the same batches.
 */
import { randomWords, streamKey } from '@slt/core';

/** Largest count shuffled exactly: word * (i + 1) stays below 2^53. */
export const MAX_SHUFFLE_COUNT = 2 ** 21;

/**
 * A permutation of 0..count-1 for `epoch` under `seed`: Fisher-Yates where step i (from the top)
 * draws j = floor(word * (i + 1) / 2^32) from the next word of the stream.
 */
export function shuffledIndices(count: number, seed: number, epoch: number): Int32Array {
  if (!Number.isInteger(count) || count < 0 || count > MAX_SHUFFLE_COUNT) {
    throw new RangeError(`count must be an integer in [0, ${MAX_SHUFFLE_COUNT}], got ${count}`);
  }
  if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`epoch must be a non-negative integer, got ${epoch}`);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (count < 2) return order;
  const words = randomWords(streamKey(seed, `shuffle/${epoch}`), count - 1);
  for (let i = count - 1, k = 0; i > 0; i--, k++) {
    const j = Math.floor((words[k] * (i + 1)) / 0x100000000);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
