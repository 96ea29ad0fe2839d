/**
 * The converter for Conv2D and _FusedConv2D (build time): the convolution as ONNX's Conv between transposes, or
 * one of the rewrites that ONNX Runtime runs faster (convRewrite.ts chooses which).
 */
import type { Conversion } from './conversion.js';
import { convRewrite, fusedOps, type FusedOps } from './convRewrite.js';
import { spaceToDepthConv } from './foldedConv.js';
import type { GraphNode } from './graphModel.js';
import { harmonicConv } from './harmonicConv.js';
import { HWIO_TO_OIHW, NCHW_TO_NHWC, NHWC_TO_NCHW } from './layout.js';
import { dataInputs, intsAttr, part, stringAttr, tensorName, unsupported } from './nodes.js';
import { phasedConv } from './phasedConv.js';
import type { AttributeValue } from './protobuf.js';
import { singleOutputConv } from './singleOutputConv.js';
import { transposed } from './tensors.js';

/** Conv2D, and _FusedConv2D with its BiasAdd (and Relu), on NHWC tensors with an HWIO filter. */
export function conv2d(node: GraphNode, c: Conversion): void {
  const layout = stringAttr(node, 'data_format') || 'NHWC';
  if (layout !== 'NHWC') throw unsupported(node, `data_format ${layout}`);
  const fused = fusedOps(node);
  const rewrite = convRewrite(node, c);
  if (rewrite.kind === 'phased') return phasedConv(node, c);
  if (rewrite.kind === 'harmonic')
    return harmonicConv(node, c, { stack: rewrite.stack, factor: rewrite.factor, fused });
  if (rewrite.kind === 'folded') return spaceToDepthConv(node, c, rewrite.factor, fused);
  if (rewrite.kind === 'singleOutput') return singleOutputConv(node, c, fused);
  plainConv(node, c, fused);
}

function plainConv(node: GraphNode, c: Conversion, { bias, relu }: FusedOps): void {
  const [input, filterInput, biasInput] = dataInputs(node);
  const weights = c.initializer(transposed(`${tensorName(filterInput)}:oihw`, c.constant(node, 1), HWIO_TO_OIHW));
  const strides = intsAttr(node, 'strides');
  const dilations = intsAttr(node, 'dilations');
  const attributes = {
    strides: [strides[1], strides[2]],
    dilations: dilations.length ? [dilations[1], dilations[2]] : [1, 1],
    ...convPadding(node),
  };
  const nchw = c.add('Transpose', part(node, 'nchw'), [c.tensor(input)], { perm: NHWC_TO_NCHW });
  let output = c.add(
    'Conv',
    part(node, 'conv'),
    bias ? [nchw, weights, c.tensor(biasInput)] : [nchw, weights],
    attributes,
  );
  if (relu) output = c.add('Relu', part(node, 'relu'), [output]);
  c.add('Transpose', node.name, [output], { perm: NCHW_TO_NHWC });
}

/** TensorFlow's SAME puts the odd pixel of padding at the end, as ONNX's SAME_UPPER does. */
function convPadding(node: GraphNode): Record<string, AttributeValue> {
  const padding = stringAttr(node, 'padding');
  if (padding === 'VALID') return { pads: [0, 0, 0, 0] };
  if (padding === 'SAME') return { auto_pad: 'SAME_UPPER' };
  throw unsupported(node, `padding ${padding}`);
}
