/**
 * Harmonic stacking (build time): ConcatV2's converter, which joins the stack of shifted CQT copies channels first,
 * and how a convolution recognises that it reads such a stack (see harmonicConv.ts).
 */
import type { Conversion } from './conversion.js';
import type { GraphNode } from './graphModel.js';
import { CHANNEL_AXIS_NCHW, CHANNEL_AXIS_NHWC, FREQUENCY_AXIS, NCHW_TO_NHWC, NORMALISED_CQT } from './layout.js';
import { dataInputs, intAttr, part, tensorName } from './nodes.js';
import { intValues } from './tensors.js';

/** A harmonic stack as a convolution reads it: the CQT's copies moved by some bins each, and cropped. */
export interface HarmonicStack {
  /** How many bins each channel of the stack is moved by: channel c's bin f is the CQT's bin f + shifts[c]. */
  shifts: readonly number[];
  /** The bins the stack keeps (the CQT may have more). */
  bins: number;
  /** The stack as harmonic stacking joins it: [batch, channels, frames, bins]. */
  channelsFirst: string;
}

/** ConcatV2's last input is the axis. */
export function concat(node: GraphNode, c: Conversion): void {
  const inputs = dataInputs(node);
  const axis = intValues(c.constant(node, inputs.length - 1))[0];
  const tensors = inputs.slice(0, -1).map((input) => c.tensor(input));
  const lastAxis = axis === -1 || axis === CHANNEL_AXIS_NHWC;
  if (lastAxis && inputs.some((input) => tensorName(input) === NORMALISED_CQT)) {
    stackHarmonics(node, c, tensors);
    return;
  }
  c.add('Concat', node.name, tensors, { axis });
}

/** The stack a harmonic stacking joins, channels first. */
function channelsFirstOf(stacking: GraphNode): string {
  return part(stacking, 'channels_first');
}

/**
 * Harmonic stacking (the graph has it twice, before the contours' and the onsets' convolutions): the normalised
 * log-CQT and its shifted copies, each `[batch, frames, bins, 1]`, joined on their last axis. ONNX Runtime's
 * Concat copies one element at a time when each input's part of the joined axis is one element, so the copies
 * are joined as channels first, `[batch, 8, frames, bins]`, and transposed to the graph's `[batch, frames, bins, 8]`
 * (ONNX Runtime's optimiser then cancels that transpose against the onsets' convolution's own). The stack is
 * read only through a crop to its first bins (264 of the CQT's 309), so each copy is cut to those before they
 * are joined, and the crop reads the stack as it is.
 */
function stackHarmonics(node: GraphNode, c: Conversion, copies: readonly string[]): void {
  const crops = c.consumers.get(node.name) ?? [];
  const kept = crops.map((crop) => (crop.op === 'StridedSlice' ? binRange(crop, c) : undefined));
  const bins = kept[0]?.end;
  const cropped = bins !== undefined && bins > 0 && kept.every((range) => range?.begin === 0 && range.end === bins);
  const channelAxis = c.int64s(part(node, 'channel_axis'), [CHANNEL_AXIS_NHWC]);
  const firstAxis = c.int64s(part(node, 'first_axis'), [CHANNEL_AXIS_NCHW]);
  const planes = copies.map((copy, i) => {
    const cut = cropped
      ? c.add('Slice', part(node, `kept_${i}`), [
          copy,
          c.int64s(part(node, 'kept_start'), [0]),
          c.int64s(part(node, 'kept_end'), [bins]),
          c.int64s(part(node, 'kept_axis'), [FREQUENCY_AXIS]),
        ])
      : copy;
    const squeezed = c.add('Squeeze', part(node, `bins_${i}`), [cut, channelAxis]);
    return c.add('Unsqueeze', part(node, `plane_${i}`), [squeezed, firstAxis]);
  });
  const joined = c.add('Concat', channelsFirstOf(node), planes, { axis: CHANNEL_AXIS_NCHW });
  if (cropped) for (const crop of crops) c.fold(crop.name, node.name);
  c.add('Transpose', node.name, [joined], { perm: NCHW_TO_NHWC });
}

/** The harmonic stack a convolution reads, if its input is harmonic stacking's crop of shifted CQT copies. */
export function harmonicStackOf(input: string, c: Conversion): HarmonicStack | undefined {
  const crop = c.producer(input);
  const kept = crop?.op === 'StridedSlice' ? binRange(crop, c) : undefined;
  const joined = crop && c.producer(dataInputs(crop)[0]);
  if (!kept || kept.begin !== 0 || kept.end === undefined || kept.end <= 0 || joined?.op !== 'ConcatV2')
    return undefined;
  const inputs = dataInputs(joined);
  const axis = intValues(c.constant(joined, inputs.length - 1))[0];
  if (axis !== -1 && axis !== CHANNEL_AXIS_NHWC) return undefined;
  const shifts = inputs.slice(0, -1).map((copy) => harmonicShift(copy, c));
  if (!shifts.every((shift) => shift !== undefined)) return undefined;
  return { shifts: shifts as number[], bins: kept.end, channelsFirst: channelsFirstOf(joined) };
}

/**
 * How far a copy in harmonic stacking is moved: the CQT itself, or a Pad of a StridedSlice of it that moves it up or
 * down.
 */
function harmonicShift(copy: string, c: Conversion): number | undefined {
  if (tensorName(copy) === NORMALISED_CQT) return 0;
  const pad = c.producer(copy);
  const moved = pad?.op === 'Pad' ? c.producer(dataInputs(pad)[0]) : undefined;
  if (!pad || moved?.op !== 'StridedSlice' || tensorName(dataInputs(moved)[0]) !== NORMALISED_CQT) return undefined;
  const range = binRange(moved, c);
  const paddings = intValues(c.constant(pad, 1));
  const [before, after] = [paddings[2 * FREQUENCY_AXIS], paddings[2 * FREQUENCY_AXIS + 1]];
  if (!range || paddings.some((value, i) => value !== 0 && i !== 2 * FREQUENCY_AXIS && i !== 2 * FREQUENCY_AXIS + 1))
    return undefined;
  // Moved up: its first bins cut and as many zeros after; moved down: its last bins cut and as many zeros before.
  if (range.begin > 0 && range.end === undefined && before === 0 && after === range.begin) return range.begin;
  if (range.begin === 0 && before > 0 && range.end === -before && after === 0) return -before;
  return undefined;
}

/** The bins a StridedSlice keeps when it slices nothing else (end undefined: to the end). */
function binRange(node: GraphNode, c: Conversion): { begin: number; end?: number } | undefined {
  const masks = ['ellipsis_mask', 'new_axis_mask', 'shrink_axis_mask'].map((name) => intAttr(node, name));
  const [begin, end, strides] = [1, 2, 3].map((index) => intValues(c.constant(node, index)));
  const [beginMask, endMask] = [intAttr(node, 'begin_mask'), intAttr(node, 'end_mask')];
  const bit = (axis: number) => 1 << axis;
  const whole = (axis: number) => ((beginMask & bit(axis)) !== 0 || begin[axis] === 0) && (endMask & bit(axis)) !== 0;
  const others = begin.every((_, axis) => axis === FREQUENCY_AXIS || whole(axis));
  if (
    masks.some((mask) => mask !== 0) ||
    strides.some((stride) => stride !== 1) ||
    begin.length <= FREQUENCY_AXIS ||
    !others
  )
    return undefined;
  return {
    begin: beginMask & bit(FREQUENCY_AXIS) ? 0 : begin[FREQUENCY_AXIS],
    end: endMask & bit(FREQUENCY_AXIS) ? undefined : end[FREQUENCY_AXIS],
  };
}
