/** Audio files in and out: decoding any supported format to the model's rate, resampling, writing WAV. */
export { decodeAudio, openAudio, type AudioStream, type DecodedAudio } from '../audio/decode.js';
export { resample, Resampler } from '../audio/resample.js';
export { encodeWav, WAV_FORMATS, type WavFormat } from '../audio/wav.js';
