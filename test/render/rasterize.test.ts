import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/tools.js';
import { pianoRollSvg } from '../../src/render/pianoRoll.js';
import { canDrawText, PNG_SCALE, svgToPng } from '../../src/render/rasterize.js';
import { parseSvg } from '../helpers/svg.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const HAS_SYSTEM_FONTS = ['/usr/share/fonts', '/usr/local/share/fonts'].some((folder) => {
  try {
    return readdirSync(folder, { recursive: true }).some((file) => /\.(ttf|otf|ttc)$/i.test(String(file)));
  } catch {
    return false;
  }
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('SVG to PNG', () => {
  const svg = pianoRollSvg(
    [{ pitch: 60, start: 0, end: 1, velocity: 80 }],
    { chords: [{ start: 0, end: 1, label: 'C' }] },
    { title: 'one note' },
  );

  it('is a PNG at twice the SVG’s size', () => {
    const png = svgToPng(svg);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const { width, height } = parseSvg(svg);
    expect(pngSize(png)).toEqual({ width: width * PNG_SCALE, height: height * PNG_SCALE });
  });

  it('draws the labels: a font is found, and the text changes the picture', () => {
    requireTool(HAS_SYSTEM_FONTS, 'a font for PNG labels', 'fonts-dejavu-core');
    expect(canDrawText()).toBe(true);
    const withoutText = svg.replace(/<text[\s\S]*?<\/text>/g, '');
    expect(withoutText).not.toContain('<text');
    expect(Buffer.from(svgToPng(svg)).equals(Buffer.from(svgToPng(withoutText)))).toBe(false);
  });
});
