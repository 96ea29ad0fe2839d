/**
 * SVG → PNG with resvg (@resvg/resvg-js, a Rust renderer with prebuilt binaries in the npm package).
 * resvg draws text only with fonts it can find: it loads the system's, so a machine without any
 * (a bare container) gets pictures without labels, and `canDrawText` says so beforehand.
 */
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

/** Pixels per SVG unit: twice the SVG's size, so labels stay sharp on high-density screens. */
export const PNG_SCALE = 2;
/** The font resvg falls back to when the SVG's list finds nothing (Debian's fonts-dejavu-core). */
const FALLBACK_FONT = 'DejaVu Sans';

const RENDER_OPTIONS: ResvgRenderOptions = {
  font: { loadSystemFonts: true, defaultFontFamily: FALLBACK_FONT, sansSerifFamily: FALLBACK_FONT },
  fitTo: { mode: 'zoom', value: PNG_SCALE },
  background: 'white',
  logLevel: 'off',
};

export function svgToPng(svg: string): Uint8Array {
  return new Uint8Array(new Resvg(svg, RENDER_OPTIONS).render().asPng());
}

/** A word in black on white: with no usable font, resvg leaves the picture blank. */
const TEXT_PROBE =
  '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><text x="2" y="15" font-size="14" font-family="sans-serif">jam</text></svg>';
const DARK = 128;

let textDrawable: boolean | undefined;

/** Whether resvg finds a font here, so text in the PNG shows. Checked once per process. */
export function canDrawText(): boolean {
  if (textDrawable === undefined) {
    const { pixels } = new Resvg(TEXT_PROBE, { ...RENDER_OPTIONS, fitTo: { mode: 'original' } }).render();
    textDrawable = false;
    // RGBA: any dark red channel means a glyph was drawn.
    for (let i = 0; i < pixels.length && !textDrawable; i += 4) textDrawable = pixels[i] < DARK;
  }
  return textDrawable;
}
