/** Pictures and sounds of notes: the piano roll as SVG or PNG, and a simple sonification to listen back. */
export {
  pianoRollSvg,
  overlayFromAnalysis,
  type RollOverlay,
  type RollOptions,
  type LabelledSpan,
  type ChordSpan,
} from '../render/pianoRoll.js';
export { svgToPng } from '../render/rasterize.js';
export { sonify } from '../render/sonify.js';
