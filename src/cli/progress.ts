/** A one-line progress bar with an ETA on a terminal; nothing at all when piped or quiet. */
const BAR_WIDTH = 30;
/** Redraw at most this often, so a fast job does not spend its time drawing. */
const REDRAW_MS = 100;

export interface Progress {
  update(fraction: number): void;
  done(): void;
}

const SILENT: Progress = { update() {}, done() {} };

export function progressBar(label: string, enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || !stream.isTTY) return SILENT;
  const started = Date.now();
  let lastDrawn = 0;
  const draw = (fraction: number): void => {
    const filled = Math.round(fraction * BAR_WIDTH);
    const elapsed = (Date.now() - started) / 1000;
    const eta = fraction > 0 ? Math.max(0, elapsed / fraction - elapsed) : NaN;
    const etaText = Number.isFinite(eta) ? ` ETA ${eta.toFixed(0)} s` : '';
    stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.floor(fraction * 100)}%${etaText}\x1b[K`);
  };
  return {
    update(fraction) {
      const now = Date.now();
      if (now - lastDrawn < REDRAW_MS && fraction < 1) return;
      lastDrawn = now;
      draw(fraction);
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
