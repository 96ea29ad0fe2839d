/** A one-line progress bar with an ETA on a terminal; nothing at all when piped or quiet. */
const BAR_WIDTH = 30;
/** Redraw at most this often, so a fast job does not spend its time drawing. */
const REDRAW_MS = 100;

export interface Progress {
  /** Redraws at `fraction` (0-1); `label`, when given, replaces the label (a batch's files-done count). */
  update(fraction: number, label?: string): void;
  done(): void;
}

const SILENT: Progress = { update() {}, done() {} };

export function progressBar(label: string, enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || !stream.isTTY) return SILENT;
  const started = Date.now();
  let lastDrawn = 0;
  let shown = label;
  const draw = (fraction: number): void => {
    const filled = Math.round(fraction * BAR_WIDTH);
    const elapsed = (Date.now() - started) / 1000;
    const eta = fraction > 0 ? Math.max(0, elapsed / fraction - elapsed) : NaN;
    const etaText = Number.isFinite(eta) ? ` ETA ${eta.toFixed(0)} s` : '';
    stream.write(
      `\r${shown} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.floor(fraction * 100)}%${etaText}\x1b[K`,
    );
  };
  return {
    update(fraction, newLabel) {
      if (newLabel !== undefined) shown = newLabel;
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
