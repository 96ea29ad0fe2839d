import { describe, expect, it } from 'vitest';
import { notesFromJson } from '../../src/app/noteJson.js';

const NOTES = [
  { pitch: 64, start: 0.5, end: 1, velocity: 70 },
  { pitch: 60, start: 0, end: 0.5, velocity: 90, bends: [0, 0.33] },
];

describe('notes from JSON', () => {
  it('reads what jam transcribe --json prints, in time order', () => {
    const line =
      JSON.stringify({ input: 'take.wav', outputs: { midi: 'take.mid' }, duration: 1.5, seconds: 0.4, notes: NOTES }) +
      '\n';
    expect(notesFromJson(line, 'take.json')).toEqual([NOTES[1], NOTES[0]]);
  });

  it('reads a plain array of notes', () => {
    expect(notesFromJson(JSON.stringify(NOTES), 'notes.json').map((note) => note.pitch)).toEqual([60, 64]);
    expect(notesFromJson('[]', 'none.json')).toEqual([]);
  });

  const refusals: Array<[string, string, RegExp]> = [
    [
      'not JSON',
      'pitch,start\n60,0\n',
      /^notes\.json: not valid JSON \(.*\); give the output of jam transcribe --json[^\n]*$/,
    ],
    [
      'several transcriptions',
      `${JSON.stringify({ notes: [] })}\n${JSON.stringify({ notes: [] })}\n`,
      /^notes\.json: holds 2 transcriptions, one per line; keep the line you want/,
    ],
    [
      'a failed transcription',
      JSON.stringify({ input: 'x.wav', error: 'x.wav: no such file; check the path' }),
      /holds a failed transcription \(x\.wav: no such file; check the path\)/,
    ],
    ['an object without notes', JSON.stringify({ chords: [] }), /no "notes" in this JSON/],
    [
      'a pitch out of range',
      JSON.stringify([{ pitch: 128, start: 0, end: 1, velocity: 80 }]),
      /note 1 .*is not a note: it needs a whole pitch 0-127/,
    ],
    ['an end before the start', JSON.stringify([NOTES[0], { pitch: 60, start: 1, end: 0.5, velocity: 80 }]), /note 2 /],
    ['a note without velocity', JSON.stringify([{ pitch: 60, start: 0, end: 1 }]), /note 1 /],
    ['bends that are not numbers', JSON.stringify([{ ...NOTES[0], bends: ['up'] }]), /note 1 /],
  ];
  it.each(refusals)('refuses %s with a message naming the file', (_, text, message) => {
    expect(() => notesFromJson(text, 'notes.json')).toThrow(message);
    expect(() => notesFromJson(text, 'notes.json')).toThrow(/^notes\.json: /);
  });
});
