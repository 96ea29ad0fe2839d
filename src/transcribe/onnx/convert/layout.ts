/**
 * The tensor layouts, axes and node names of Basic Pitch's graph that the converter relies on (build time).
 */

/** The time (frames or samples) axis of the graph's inputs, outputs and NHWC tensors. */
export const TIME_AXIS = 1;
/** The frequency (bins) axis of the graph's NHWC tensors. */
export const FREQUENCY_AXIS = 2;
/** A Reshape target entry that ONNX infers from the tensor's size. */
export const INFERRED = -1;
export const NHWC_TO_NCHW = [0, 3, 1, 2];
export const NCHW_TO_NHWC = [0, 2, 3, 1];
export const CHANNEL_AXIS_NHWC = 3;
export const CHANNEL_AXIS_NCHW = 1;
export const HWIO_TO_OIHW = [3, 2, 0, 1];
/** A slice end past any real dimension: ONNX clamps it to the dimension's size. */
export const TO_THE_END = Number.MAX_SAFE_INTEGER;

/**
 * The normalised log-CQT, `[batch, frames, bins, 1]`: the whole window's min and max have been applied, and what
 * follows is convolutional in time, so a tail model cuts the time axis here.
 */
export const NORMALISED_CQT = 'StatefulPartitionedCall/model_1/batch_normalization/FusedBatchNormV3';
