/** Audio files in and out: decoding any supported format to the model's rate, resampling, writing WAV. */
export {
  decodeAudio,
  openAudio,
  SUPPORTED_FORMATS,
  type AudioBytes,
  type AudioStream,
  type DecodedAudio,
  type OpenAudioOptions,
} from '../audio/decode.js';
export { sniff, type AudioFormat } from '../audio/sniff.js';
export { resample, Resampler } from '../audio/resample.js';
export { encodeWav, WAV_FORMATS, type WavFormat } from '../audio/wav.js';
