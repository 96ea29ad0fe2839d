/** Live transcription: sources of audio or MIDI, the real-time pipeline, and the sinks its events go to. */
export {
  runLive,
  type LiveSource,
  type LiveTranscriber,
  type LiveSink,
  type LiveOptions,
  type LiveSummary,
} from '../live/pipeline.js';
export { pcmSource, openFileSource, type FileSourceOptions } from '../live/sources.js';
export { PcmDecoder, PCM_FORMATS, type PcmFormat, type PcmLayout } from '../live/pcm.js';
export { listInputDevices, findInputDevice, inputSource, type InputDevice } from '../live/input.js';
export { portSink, type PortSinkOptions } from '../live/portSink.js';
export { recordSink, type RecordSink, type RecordOptions } from '../live/recordSink.js';
export { eventsSink, eventsFileSink } from '../live/eventsSink.js';
export { recordPort, type MidiInputPort, type RecordPortOptions } from '../live/recorder.js';
export { systemClock, type Clock } from '../clock.js';
