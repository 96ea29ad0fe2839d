/**
 * Convolutions with one output channel as a product over kernel taps, a rewrite the converter applies at build
 * time.
 *
 * ONNX Runtime gives a convolution with one output channel a whole block of 16 (or runs it unblocked, worse), so
 * Basic Pitch's notes' 7×3 and onsets' 3×3 convolutions cost far more than their work. Each that is not folded
 * over frequency (foldedConv.ts; the contours' 5×5 is) is instead one matrix product that gives every kernel tap
 * its own plane — plane (dt, df) is Σc W[dt, df, c, 0]·x[c] at each cell — and a sum of those planes shifted into
 * place: out[t, f] = Σ plane(dt, df) at [t + dt − top, f + df − left], zero outside, which is the convolution
 * with TensorFlow's SAME padding.
 */
import type { Conversion } from './conversion.js';
import type { FusedOps } from './convRewrite.js';
import type { GraphNode } from './graphModel.js';
import { INFERRED, NCHW_TO_NHWC, NHWC_TO_NCHW, TO_THE_END } from './layout.js';
import { dataInputs, part, tensorName } from './nodes.js';
import { DataType } from './protobuf.js';

export function singleOutputConv(node: GraphNode, c: Conversion, { bias }: FusedOps): void {
  const [input, filterInput, biasInput] = dataInputs(node);
  const filter = c.constant(node, 1);
  const [height, width, channels] = filter.shape;
  const taps = height * width;
  // HWIO with one output is already [tap][channel], the left operand of the product.
  const weights = c.initializer({
    name: `${tensorName(filterInput)}:taps`,
    dataType: DataType.FLOAT,
    dims: [taps, channels],
    rawData: filter.bytes,
  });
  const nchw = c.add('Transpose', part(node, 'nchw'), [c.tensor(input)], { perm: NHWC_TO_NCHW });
  const cells = c.add('Reshape', part(node, 'cells'), [
    nchw,
    c.int64s(part(node, 'cells_shape'), [0, channels, INFERRED]),
  ]);
  const product = c.add('MatMul', part(node, 'taps'), [weights, cells]);
  // [batch, taps, time, bins]: the bins are the input's, read from its shape (time may vary).
  const bins = c.add('Slice', part(node, 'bins'), [
    c.add('Shape', part(node, 'shape'), [nchw]),
    c.int64s(part(node, 'bins_start'), [3]),
    c.int64s(part(node, 'bins_end'), [4]),
  ]);
  const planeShape = c.add(
    'Concat',
    part(node, 'planes_shape'),
    [c.int64s(part(node, 'planes_lead'), [0, taps, INFERRED]), bins],
    { axis: 0 },
  );
  const planes = c.add('Reshape', part(node, 'planes'), [product, planeShape]);
  let output = c.add('Sum', part(node, 'sum'), shiftedPlanes(node, c, { planes, height, width }));
  if (bias) output = c.add('Add', part(node, 'bias'), [output, c.tensor(biasInput)]);
  c.add('Transpose', node.name, [output], { perm: NCHW_TO_NHWC });
}

/** Each tap's plane, padded as SAME pads and cut so that its cell (t, f) is the output's. */
function shiftedPlanes(
  node: GraphNode,
  c: Conversion,
  { planes, height, width }: { planes: string; height: number; width: number },
): string[] {
  const top = Math.floor((height - 1) / 2);
  const left = Math.floor((width - 1) / 2);
  const padded = c.add(
    'Pad',
    part(node, 'padded'),
    [planes, c.int64s(part(node, 'pads'), [0, 0, top, left, 0, 0, height - 1 - top, width - 1 - left])],
    { mode: 'constant' },
  );
  // Plane (dt, df) at output cell t sits at padded row t + dt; the slice ends as far before the padded end.
  const end = (over: number) => (over > 0 ? -over : TO_THE_END);
  const shifted: string[] = [];
  for (let dt = 0; dt < height; dt++) {
    for (let df = 0; df < width; df++) {
      const tap = dt * width + df;
      shifted.push(
        c.add('Slice', part(node, `tap_${tap}`), [
          padded,
          c.int64s(part(node, `tap_${tap}_starts`), [tap, dt, df]),
          c.int64s(part(node, `tap_${tap}_ends`), [tap + 1, end(height - 1 - dt), end(width - 1 - df)]),
          c.int64s(part(node, `tap_${tap}_axes`), [1, 2, 3]),
        ]),
      );
    }
  }
  return shifted;
}
