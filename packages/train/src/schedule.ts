/** Cosine decay from `start` to `end` over `total` steps (Loshchilov and Hutter, SGDR, 2017). */
export function cosine(start: number, end: number, step: number, total: number): number {
  const progress = total <= 1 ? 1 : Math.min(1, step / (total - 1));
  return end + ((start - end) * (1 + Math.cos(Math.PI * progress))) / 2;
}
