// Turns a drawing into an MNIST-style image (LeCun et al. 1998): the digit's bounding box scaled to
// fit 20 x 20 pixels, then placed in a 28 x 28 frame with its centre of mass at the centre.

const SIZE = 28;
const BOX = 20;

/** Float pixels in [0, 1] (28 * 28, row-major) of the white-on-black drawing on `pad`, or null if empty. */
export function padToImage(pad: HTMLCanvasElement): Float32Array | null {
  const context = pad.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
  const { data, width, height } = context.getImageData(0, 0, pad.width, pad.height);
  let top = height;
  let left = width;
  let bottom = -1;
  let right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[(y * width + x) * 4] > 25) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
  }
  if (bottom < 0) return null;
  const boxWidth = right - left + 1;
  const boxHeight = bottom - top + 1;
  const scale = BOX / Math.max(boxWidth, boxHeight);
  const w = Math.max(1, Math.round(boxWidth * scale));
  const h = Math.max(1, Math.round(boxHeight * scale));
  const small = document.createElement('canvas');
  small.width = w;
  small.height = h;
  const smallContext = small.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
  smallContext.imageSmoothingEnabled = true;
  smallContext.imageSmoothingQuality = 'high';
  smallContext.drawImage(pad, left, top, boxWidth, boxHeight, 0, 0, w, h);
  const pixels = smallContext.getImageData(0, 0, w, h).data;
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = pixels[(y * w + x) * 4] / 255;
      mass += v;
      cx += v * x;
      cy += v * y;
    }
  }
  const offsetX = Math.round(SIZE / 2 - (mass > 0 ? cx / mass : w / 2));
  const offsetY = Math.round(SIZE / 2 - (mass > 0 ? cy / mass : h / 2));
  const out = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const tx = x + offsetX;
      const ty = y + offsetY;
      if (tx >= 0 && tx < SIZE && ty >= 0 && ty < SIZE) out[ty * SIZE + tx] = pixels[(y * w + x) * 4] / 255;
    }
  }
  return out;
}

/** Paints 28 x 28 pixels in [0, 1] onto `canvas` (white on black), one canvas pixel per pixel. */
export function paintImage(canvas: HTMLCanvasElement, pixels: Float32Array): void {
  canvas.width = SIZE;
  canvas.height = SIZE;
  const context = canvas.getContext('2d') as CanvasRenderingContext2D;
  const image = context.createImageData(SIZE, SIZE);
  for (let i = 0; i < SIZE * SIZE; i++) {
    const v = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
    image.data.set([v, v, v, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
}

/** Draws the 28 x 28 image scaled up onto the drawing pad, so a picked sample shows where one draws. */
export function showOnPad(pad: HTMLCanvasElement, pixels: Float32Array): void {
  const small = document.createElement('canvas');
  paintImage(small, pixels);
  const context = pad.getContext('2d') as CanvasRenderingContext2D;
  context.imageSmoothingEnabled = false;
  context.fillStyle = '#000';
  context.fillRect(0, 0, pad.width, pad.height);
  context.drawImage(small, 0, 0, pad.width, pad.height);
}
