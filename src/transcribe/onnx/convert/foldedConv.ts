/**
 * Convolutions folded over frequency (space to depth), a rewrite the converter applies at build time.
 *
 * ONNX Runtime runs convolutions in blocks of 8 or 16 channels (its NCHWc layout), so a convolution with few
 * channels leaves most of each block empty, as Basic Pitch's 3×39 convolution over frequency (8 → 8 channels)
 * does. Folding `factor` neighbouring frequency bins into the channels fills the blocks:
 * the NHWC input [B, T, W, C] is read as [B, T, W/factor, factor·C] (the same bytes), convolved by a filter that
 * gives each of the factor output bins of a block its own channels, and the output read back as [B, T, W, C'].
 * The sums are the same products, so the outputs are the same but for rounding. Only stride-1, undilated SAME
 * convolutions wide enough over frequency (axis 2) and with few enough channels qualify (convRewrite.ts). The
 * folded convolution is VALID over blocks but for whole blocks of zeros around them (SAME's zeros, and more), each
 * output block reading the input blocks from its own on. The graph does not say how many bins a tensor holds, so
 * their number must be a multiple of the factor (Basic Pitch's 264 are); otherwise ONNX Runtime refuses the
 * Reshape when the model runs.
 */
import type { Conversion } from './conversion.js';
import { convRewrite, type FusedOps } from './convRewrite.js';
import type { GraphNode } from './graphModel.js';
import { FREQUENCY_AXIS, INFERRED, NCHW_TO_NHWC, NHWC_TO_NCHW } from './layout.js';
import { dataInputs, part, tensorName } from './nodes.js';
import { DataType, type TensorProto } from './protobuf.js';
import { repeated, type ConstTensor } from './tensors.js';

export interface FoldedFilter {
  tensor: TensorProto;
  /** How many input blocks each output block reads. */
  blocks: number;
}

export interface FoldedConvOptions {
  /** Names this convolution's nodes apart from the node's other pieces. */
  piece: string;
  /** The input in blocks: NCHW [batch, factor × channels, time, blocks]. */
  input: string;
  filter: TensorProto;
  bias?: string;
  relu: boolean;
  /** Blocks of zeros before and after the input. */
  blockPads?: readonly [before: number, after: number];
}

export function spaceToDepthConv(node: GraphNode, c: Conversion, factor: number, { bias, relu }: FusedOps): void {
  const [input, filterInput] = dataInputs(node);
  const filter = c.constant(node, 1);
  const folded = foldedFilter(`${tensorName(filterInput)}:oihw:s2d`, filter, factor);
  const before = Math.floor((filter.shape[1] - 1) / 2);
  // SAME's zeros before the input are whole blocks when the output blocks start `before` modulo the factor
  // bins early: one output block more, cut off at the end.
  const shift = before % factor;
  const firstBin = shift === 0 ? 0 : shift - factor;
  const padBlocks = (before - firstBin) / factor;
  const extraBlocks = shift === 0 ? 0 : 1;
  const blockPads = [padBlocks, folded.blocks - 1 + extraBlocks - padBlocks] as const;
  const source =
    c.blocksOf(input, factor) ??
    binsToBlocks(node, c, { piece: 's2d', input: c.tensor(input), channels: factor * filter.shape[2] });
  const output = foldedConv(node, c, {
    piece: 's2d',
    input: source,
    filter: folded.tensor,
    bias: bias ? foldedBias(node, c, factor) : undefined,
    relu,
    blockPads,
  });
  const outChannels = filter.shape[3];
  if (shift === 0) {
    finishInBlocks(node, c, { blocks: output, factor, outChannels });
    return;
  }
  const unfolded = blocksToBins(node, c, { blocks: output, outChannels, name: part(node, 'd2s') });
  const starts = c.int64s(part(node, 'unshifted_start'), [-firstBin]);
  const ends = c.int64s(part(node, 'unshifted_end'), [-shift]);
  c.add('Slice', node.name, [unfolded, starts, ends, c.int64s(part(node, 'unshifted_axis'), [FREQUENCY_AXIS])]);
}

/**
 * The filter of a folded convolution, VALID over the input's blocks: output bin factor·j + s (channel o) sums
 * input bin factor·j + s + k times W[h, k, c, o]; that is bin r of block j + d when k = factor·d + r − s, so the
 * filter holds W[h, k, c, o] at [s·C' + o, r·C + c, h, d], and zeros where k falls outside the kernel. It spans
 * ⌊(width + factor − 2) / factor⌋ + 1 blocks: 6 for a kernel 39 bins wide, 2 for one 5 wide.
 */
export function foldedFilter(name: string, filter: ConstTensor, factor: number): FoldedFilter {
  const [height, width, inChannels, outChannels] = filter.shape;
  const blocks = Math.floor((width + factor - 2) / factor) + 1;
  const source = new Uint32Array(new Uint8Array(filter.bytes).buffer);
  const dims = [factor * outChannels, factor * inChannels, height, blocks];
  const target = new Uint32Array(dims.reduce((size, dim) => size * dim, 1));
  for (let s = 0; s < factor; s++) {
    for (let o = 0; o < outChannels; o++) {
      for (let r = 0; r < factor; r++) {
        for (let ch = 0; ch < inChannels; ch++) {
          for (let h = 0; h < height; h++) {
            for (let d = 0; d < blocks; d++) {
              const k = factor * d + r - s;
              if (k < 0 || k >= width) continue;
              const at = (((s * outChannels + o) * dims[1] + r * inChannels + ch) * height + h) * blocks + d;
              target[at] = source[((h * width + k) * inChannels + ch) * outChannels + o];
            }
          }
        }
      }
    }
  }
  return { tensor: { name, dataType: DataType.FLOAT, dims, rawData: new Uint8Array(target.buffer) }, blocks };
}

/** The node's bias, once for each bin of a block. */
export function foldedBias(node: GraphNode, c: Conversion, factor: number): string {
  return c.initializer(repeated(`${tensorName(dataInputs(node)[2])}:s2d`, c.constant(node, 2), factor));
}

/** An NHWC tensor's bins folded `channels` (factor × its channels) to a block: NCHW [batch, channels, time, blocks]. */
export function binsToBlocks(
  node: GraphNode,
  c: Conversion,
  { piece, input, channels }: { piece: string; input: string; channels: number },
): string {
  // A 0 keeps the batch and time dimensions as they are, -1 infers the frequency blocks.
  const blocks = c.add('Reshape', part(node, piece), [
    input,
    c.int64s(part(node, `${piece}_shape`), [0, 0, INFERRED, channels]),
  ]);
  return c.add('Transpose', part(node, `${piece}_folded`), [blocks], { perm: NHWC_TO_NCHW });
}

/**
 * A folded filter's convolution (and ReLU): VALID over blocks but for `blockPads` blocks of zeros before and after,
 * SAME over time.
 */
export function foldedConv(
  node: GraphNode,
  c: Conversion,
  { piece, input, filter, bias, relu, blockPads = [0, 0] }: FoldedConvOptions,
): string {
  const height = filter.dims[2];
  const top = Math.floor((height - 1) / 2);
  const inputs = bias ? [input, c.initializer(filter), bias] : [input, c.initializer(filter)];
  const output = c.add('Conv', part(node, `${piece}_conv`), inputs, {
    strides: [1, 1],
    dilations: [1, 1],
    pads: [top, blockPads[0], height - 1 - top, blockPads[1]],
  });
  return relu ? c.add('Relu', part(node, `${piece}_relu`), [output]) : output;
}

/** A folded convolution's output read back as bins: NHWC tensor `name`. */
function blocksToBins(
  node: GraphNode,
  c: Conversion,
  { blocks, outChannels, name }: { blocks: string; outChannels: number; name: string },
): string {
  const nhwc = c.add('Transpose', part(node, 'unfolded'), [blocks], { perm: NCHW_TO_NHWC });
  return c.add('Reshape', name, [nhwc, c.int64s(part(node, 'd2s_shape'), [0, 0, INFERRED, outChannels])]);
}

/**
 * The node's whole output, in blocks: a folded convolution with the same factor that reads it takes it so, and
 * it is read back as bins only if some other node reads it (ONNX Runtime would compute it even if none did).
 */
export function finishInBlocks(
  node: GraphNode,
  c: Conversion,
  { blocks, factor, outChannels }: { blocks: string; factor: number; outChannels: number },
): void {
  c.keepInBlocks(node.name, factor, blocks);
  const readers = c.consumers.get(node.name) ?? [];
  const readsBlocks = (reader: GraphNode) => {
    if (reader.op !== 'Conv2D' && reader.op !== '_FusedConv2D') return false;
    const rewrite = convRewrite(reader, c);
    return tensorName(dataInputs(reader)[0]) === node.name && rewrite.kind === 'folded' && rewrite.factor === factor;
  };
  if (readers.length === 0 || !readers.every(readsBlocks)) {
    blocksToBins(node, c, { blocks, outChannels, name: node.name });
  }
}
