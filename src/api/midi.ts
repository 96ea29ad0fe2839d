/** MIDI files and ports: notes to and from Standard MIDI Files, output and input ports, playing a file in time. */
export { notesToMidi, notesToMidiBytes, midiToBytes, type Midi, type MidiWriteOptions } from '../midi/write.js';
export { midiNotes, midiFromBytes } from '../midi/read.js';
export { checkMidiIsWhole } from '../midi/wholeFile.js';
export { withMidiBends, type PitchBendEvent } from '../midi/bends.js';
export {
  listPorts,
  openOutput,
  openOutputs,
  openVirtualOutput,
  openInput,
  findPort,
  missingMidiSystem,
  type MidiOutputPort,
  type PortList,
} from '../midi/ports.js';
export { midiTimeline, type TimedMessage } from '../midi/timeline.js';
export { playTimeline, type PlayOptions, type PlaySummary } from '../midi/player.js';
export { notesFromJson } from '../app/noteJson.js';
export { PITCH_BEND_RANGE_SEMITONES } from '../midi/constants.js';
