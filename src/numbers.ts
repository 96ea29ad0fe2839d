/** `value` rounded to `decimals` places, for figures people read (reports, JSON, SVG coordinates). */
export function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
