/** Progress of a long search: a redrawn bar on a TTY, one line per epoch otherwise, or nothing. */
export interface Progress {
  /** Called after each step (cheap: redraws at most ~10 times a second). */
  step(epoch: number, stepInEpoch: number, stepsPerEpoch: number): void;
  /** Called once per finished epoch with a ready-made summary line. */
  epoch(line: string): void;
  /** Called once when the search ends. */
  done(): void;
}

/** No output at all (library use, tests). */
export const silentProgress: Progress = { step() {}, epoch() {}, done() {} };

/** A progress display on `stream`: a bar when it is a TTY, plain lines otherwise. */
export function streamProgress(stream: NodeJS.WriteStream, totalEpochs: number): Progress {
  const tty = stream.isTTY === true;
  let lastDraw = 0;
  return {
    step(epoch, stepInEpoch, stepsPerEpoch) {
      if (!tty) return;
      const now = Date.now();
      if (now - lastDraw < 100 && stepInEpoch + 1 < stepsPerEpoch) return;
      lastDraw = now;
      const width = 30;
      const filled = Math.round(((stepInEpoch + 1) / stepsPerEpoch) * width);
      stream.write(
        `\r\x1b[2Kepoch ${epoch + 1}/${totalEpochs} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${stepInEpoch + 1}/${stepsPerEpoch}`,
      );
    },
    epoch(line) {
      stream.write(tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
    },
    done() {},
  };
}
