/**
 * Per-channel pixel statistics of a split: the mean and the population standard deviation over
 * every pixel of every image, per channel (how the constants in `info.ts` were computed).
 */
import type { Split } from './dataset.js';

/** Mean and standard deviation per channel, in float64. */
export interface ChannelStats {
  readonly mean: number[];
  readonly std: number[];
}

/** Per-channel mean and population std of `split`'s images, HWC with `channels` channels. */
export function channelStats(split: Split, channels: number): ChannelStats {
  const sum = new Float64Array(channels);
  const squares = new Float64Array(channels);
  const { images } = split;
  for (let i = 0; i < images.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const v = images[i + c];
      sum[c] += v;
      squares[c] += v * v;
    }
  }
  const perChannel = images.length / channels;
  const mean = Array.from(sum, (s) => s / perChannel);
  const std = Array.from(squares, (s, c) => Math.sqrt(Math.max(0, s / perChannel - mean[c] * mean[c])));
  return { mean, std };
}
