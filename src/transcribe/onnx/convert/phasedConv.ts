/**
 * Strided single-channel filters computed many outputs at once, a rewrite the converter applies at build time.
 *
 * Basic Pitch's constant-Q transform halves the audio's rate octave by octave with a 256-tap low-pass filter
 * (one channel in and out, stride 2, VALID), and ONNX Runtime gives its one output channel a whole block of 16.
 * Here such a filter computes PHASES outputs at once: output P·j + p is channel p of a convolution with stride
 * P·s whose filter p is the filter moved s·p taps on (s·(P − 1) more taps each, and the block full). The channels
 * are interleaved back into one signal and cut to the length the strided filter gives, floor((L − K) / s) + 1;
 * the input is padded with P·s zeros at the end so the last outputs have their samples, the zeros only reaching
 * outputs that are cut.
 */
import type { Conversion } from './conversion.js';
import type { GraphNode } from './graphModel.js';
import { INFERRED, NCHW_TO_NHWC, NHWC_TO_NCHW } from './layout.js';
import { dataInputs, intsAttr, part, tensorName } from './nodes.js';
import { DataType } from './protobuf.js';
import type { ConstTensor } from './tensors.js';

/** One for each channel of ONNX Runtime's block. */
const PHASES = 16;

export function phasedConv(node: GraphNode, c: Conversion): void {
  const [input, filterInput] = dataInputs(node);
  const filter = c.constant(node, 1);
  const width = filter.shape[1];
  const stride = intsAttr(node, 'strides')[2];
  const weights = c.initializer({
    name: `${tensorName(filterInput)}:phases`,
    dataType: DataType.FLOAT,
    dims: [PHASES, 1, 1, width + stride * (PHASES - 1)],
    rawData: phaseFilters(filter, stride),
  });
  const nchw = c.add('Transpose', part(node, 'nchw'), [c.tensor(input)], { perm: NHWC_TO_NCHW });
  const padded = c.add(
    'Pad',
    part(node, 'padded'),
    [nchw, c.int64s(part(node, 'pads'), [0, 0, 0, 0, 0, 0, 0, PHASES * stride])],
    { mode: 'constant' },
  );
  const phases = c.add('Conv', part(node, 'conv'), [padded, weights], {
    strides: [1, PHASES * stride],
    dilations: [1, 1],
    pads: [0, 0, 0, 0],
  });
  // [batch, phase, 1, j] → [batch, 1, j, phase] → NHWC [batch, 1, j·phases, 1]: output P·j + p in order.
  const interleaved = c.add('Transpose', part(node, 'interleaved'), [phases], { perm: NCHW_TO_NHWC });
  const signal = c.add('Reshape', part(node, 'signal'), [
    interleaved,
    c.int64s(part(node, 'signal_shape'), [0, 1, INFERRED, 1]),
  ]);
  const outputs = stridedLength(node, c, { nchw, width, stride });
  c.add('Slice', node.name, [signal, c.int64s(part(node, 'from'), [0]), outputs, c.int64s(part(node, 'axis'), [2])]);
}

/** Filter p is the filter moved `stride`·p taps on, zeros around it. */
function phaseFilters(filter: ConstTensor, stride: number): Uint8Array {
  const taps = filter.shape[1] + stride * (PHASES - 1);
  const source = new Uint32Array(new Uint8Array(filter.bytes).buffer);
  const target = new Uint32Array(PHASES * taps);
  for (let p = 0; p < PHASES; p++) target.set(source, p * taps + stride * p);
  return new Uint8Array(target.buffer);
}

/** The strided filter's output length, floor((L − K) / s) + 1, from the input's length (time may vary). */
function stridedLength(
  node: GraphNode,
  c: Conversion,
  { nchw, width, stride }: { nchw: string; width: number; stride: number },
): string {
  const length = c.add('Slice', part(node, 'length'), [
    c.add('Shape', part(node, 'shape'), [nchw]),
    c.int64s(part(node, 'length_start'), [3]),
    c.int64s(part(node, 'length_end'), [4]),
  ]);
  const filtered = c.add('Div', part(node, 'strided'), [
    c.add('Sub', part(node, 'span'), [length, c.int64s(part(node, 'width'), [width])]),
    c.int64s(part(node, 'stride'), [stride]),
  ]);
  return c.add('Add', part(node, 'outputs'), [filtered, c.int64s(part(node, 'one'), [1])]);
}
