import { describe, expect, it } from 'vitest';
import {
  noteName,
  overlayFromAnalysis,
  pianoRollSvg,
  velocityColour,
  type RollOverlay,
} from '../../src/render/pianoRoll.js';
import { mergeRepeats } from '../../src/render/rollOverlay.js';
import { ROLL_SCALE, VELOCITY_RAMP } from '../../src/render/rollStyle.js';
import type { NoteEvent } from '../../src/types.js';
import { elementsOfClass, numberOf, parseSvg, type SvgElement } from '../helpers/svg.js';

const C4 = 60;
const E4 = 64;
const G4 = 67;
const B4 = 71;
const C5 = 72;

/** A C major arpeggio with a loud, bent G and a quiet C5 over it. */
const NOTES: NoteEvent[] = [
  { pitch: C4, start: 0, end: 1, velocity: 100 },
  { pitch: E4, start: 1, end: 1.5, velocity: 40 },
  { pitch: G4, start: 2, end: 3, velocity: 127, bends: [0, 2, 4, 4] },
  { pitch: B4, start: 2, end: 3, velocity: 64, bends: [0, 0, 0] },
  { pitch: C5, start: 0.5, end: 1, velocity: 1 },
];

function notesByPitch(svg: string): Map<number, SvgElement> {
  return new Map(elementsOfClass(svg, 'note').map((note) => [numberOf(note, 'data-pitch'), note]));
}

const left = (element: SvgElement): number => numberOf(element, 'x');
const right = (element: SvgElement): number => numberOf(element, 'x') + numberOf(element, 'width');
const middle = (element: SvgElement): number => numberOf(element, 'y') + numberOf(element, 'height') / 2;

function pathPoints(d: string): Array<[number, number]> {
  return [...d.matchAll(/[ML]([-\d.]+) ([-\d.]+)/g)].map((match) => [Number(match[1]), Number(match[2])]);
}

describe('the notes', () => {
  const svg = pianoRollSvg(NOTES);
  const notes = notesByPitch(svg);

  it('are one rectangle each, with the pitch, velocity and times in a tooltip', () => {
    expect(elementsOfClass(svg, 'note')).toHaveLength(NOTES.length);
    expect(notes.get(G4)?.title).toBe('G4 2 s–3 s, velocity 127');
  });

  it('sit along one time scale: lengths in proportion, touching notes touching', () => {
    const c4 = notes.get(C4)!;
    const e4 = notes.get(E4)!;
    const g4 = notes.get(G4)!;
    const second = numberOf(c4, 'width');
    expect(numberOf(e4, 'width')).toBeCloseTo(second / 2, 1);
    expect(left(e4)).toBeCloseTo(right(c4), 1);
    expect(left(g4) - left(c4)).toBeCloseTo(2 * second, 1);
    expect(left(notes.get(C5)!) - left(c4)).toBeCloseTo(second / 2, 1);
  });

  it('line up with the seconds on the time axis', () => {
    const labels = new Map(elementsOfClass(svg, 'time-label').map((label) => [label.text, numberOf(label, 'x')]));
    expect(labels.get('0 s')).toBeCloseTo(left(notes.get(C4)!), 1);
    expect(labels.get('1 s')).toBeCloseTo(right(notes.get(C4)!), 1);
    expect(labels.get('2 s')).toBeCloseTo(left(notes.get(G4)!), 1);
    expect(labels.get('3 s')).toBeCloseTo(right(notes.get(G4)!), 1);
  });

  it('sit one row per semitone, higher pitches higher up', () => {
    const row = (middle(notes.get(C4)!) - middle(notes.get(C5)!)) / 12;
    expect(row).toBeGreaterThan(0);
    expect(middle(notes.get(C4)!) - middle(notes.get(E4)!)).toBeCloseTo(4 * row, 1);
    expect(middle(notes.get(C4)!) - middle(notes.get(G4)!)).toBeCloseTo(7 * row, 1);
  });

  it('are coloured by velocity, from the quiet end of the ramp to the loud end', () => {
    const fill = (pitch: number): string => notes.get(pitch)!.attributes.fill;
    const hex = (rgb: readonly number[]): string =>
      `#${rgb.map((channel) => channel.toString(16).padStart(2, '0')).join('')}`;
    expect(fill(C5)).toBe(hex(VELOCITY_RAMP[0].rgb));
    expect(fill(G4)).toBe(hex(VELOCITY_RAMP[VELOCITY_RAMP.length - 1].rgb));
    for (const note of NOTES) expect(fill(note.pitch)).toBe(velocityColour(note.velocity));
    expect(new Set(NOTES.map((note) => fill(note.pitch))).size).toBe(NOTES.length);
    // Out-of-range velocities take the nearest end rather than failing.
    expect(velocityColour(0)).toBe(velocityColour(1));
    expect(velocityColour(200)).toBe(velocityColour(127));
  });

  it('show the velocity ramp in a legend', () => {
    expect(svg).toContain('<linearGradient id="velocity-ramp"');
    expect(svg).toMatch(/<g class="legend">[\s\S]*>velocity<[\s\S]*>1<[\s\S]*>64<[\s\S]*>127</);
  });
});

describe('pitch bends', () => {
  const svg = pianoRollSvg(NOTES);
  const notes = notesByPitch(svg);
  const bends = elementsOfClass(svg, 'bend');

  it('are drawn only for notes that bend', () => {
    expect(bends.map((bend) => numberOf(bend, 'data-pitch'))).toEqual([G4]);
  });

  it('follow the note from its start to its end, a semitone up being a row up', () => {
    const g4 = notes.get(G4)!;
    const points = pathPoints(bends[0].attributes.d);
    // Four bends spread evenly over the note, and the last held to its end.
    expect(points.map(([x]) => x)).toEqual(
      [0, 0.25, 0.5, 0.75, 1].map((at) => expect.closeTo(left(g4) + at * numberOf(g4, 'width'), 1)),
    );
    expect(points[0][1]).toBeCloseTo(middle(g4), 1);
    // +4 semitones from G4 is B4, drawn in the same place.
    expect(points[2][1]).toBeCloseTo(middle(notes.get(B4)!), 1);
    expect(points[1][1]).toBeCloseTo((middle(g4) + middle(notes.get(B4)!)) / 2, 1);
  });
});

describe('the pitch axis', () => {
  const svg = pianoRollSvg(NOTES);
  const labels = new Map(elementsOfClass(svg, 'pitch-label').map((label) => [label.text, label]));

  it('names every C and every pitch played, beside its row', () => {
    expect([...labels.keys()]).toEqual(expect.arrayContaining(['C4', 'E4', 'G4', 'B4', 'C5']));
    expect(labels.has('D4')).toBe(false);
    const notes = notesByPitch(svg);
    for (const [name, pitch] of [
      ['C4', C4],
      ['G4', G4],
      ['C5', C5],
    ] as const) {
      const note = notes.get(pitch)!;
      const baseline = numberOf(labels.get(name)!, 'y');
      expect(baseline).toBeGreaterThan(numberOf(note, 'y'));
      expect(baseline).toBeLessThan(numberOf(note, 'y') + numberOf(note, 'height') + 1);
    }
  });

  it('draws a line under each C, and the range covers at least two octaves', () => {
    const octaves = elementsOfClass(svg, 'octave-line').map((line) => numberOf(line, 'data-pitch'));
    expect(octaves).toEqual(expect.arrayContaining([C4, C5]));
    expect(octaves.every((pitch) => pitch % 12 === 0)).toBe(true);
  });

  it('names pitches with sharps in scientific pitch notation', () => {
    expect([0, 21, 60, 61, 69, 127].map(noteName)).toEqual(['C-1', 'A0', 'C4', 'C#4', 'A4', 'G9']);
  });
});

describe('chords, key, bars and beats', () => {
  const overlay: RollOverlay = {
    key: 'C major',
    chords: [
      { start: 0, end: 1, label: 'C', numeral: 'I' },
      { start: 1, end: 2, label: 'C', numeral: 'I' },
      { start: 2, end: 3, label: 'G7', numeral: 'V7' },
      { start: 3, end: 4, label: 'N' },
    ],
    bars: [0, 2, 4],
    beats: [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4],
  };
  const svg = pianoRollSvg(NOTES, overlay);
  const notes = notesByPitch(svg);

  it('names each chord once over the time it lasts, with its numeral', () => {
    const chords = elementsOfClass(svg, 'chord');
    expect(chords.map((chord) => chord.attributes['data-label'])).toEqual(['C', 'G7', 'N']);
    expect(elementsOfClass(svg, 'chord-label').map((label) => label.text)).toEqual(['C', 'G7', 'N']);
    expect(elementsOfClass(svg, 'numeral').map((label) => label.text)).toEqual(['I', 'V7']);
    const g7Box = /<g class="chord" data-label="G7">[\s\S]*?<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/.exec(svg)!;
    const g4 = notes.get(G4)!;
    expect(Number(g7Box[1])).toBeCloseTo(left(g4), 1);
    expect(Number(g7Box[1]) + Number(g7Box[2])).toBeCloseTo(right(g4), 1);
    expect(chords[1].title).toBe('G7 (V7), 2 s–3 s');
  });

  it('shows the key above the roll', () => {
    const key = elementsOfClass(svg, 'key');
    expect(key).toHaveLength(1);
    expect(key[0].text).toBe('Key: C major');
  });

  it('draws bar lines at the bars, numbered, and lighter beat lines between them', () => {
    const barXs = elementsOfClass(svg, 'bar-line').map((line) => numberOf(line, 'x1'));
    expect(barXs).toHaveLength(3);
    expect(barXs[0]).toBeCloseTo(left(notes.get(C4)!), 1);
    expect(barXs[1]).toBeCloseTo(left(notes.get(G4)!), 1);
    expect(elementsOfClass(svg, 'bar-number').map((label) => label.text)).toEqual(['1', '2']);
    const beats = elementsOfClass(svg, 'beat-line');
    // Every beat but the three on bar lines.
    expect(beats).toHaveLength(6);
    expect(beats[0].attributes.stroke).not.toBe(elementsOfClass(svg, 'bar-line')[0].attributes.stroke);
    expect(numberOf(beats[1], 'x1')).toBeCloseTo(right(notes.get(C4)!), 1);
  });

  it('runs the picture on to the end of the last bar', () => {
    const labels = elementsOfClass(svg, 'time-label').map((label) => label.text);
    expect(labels[labels.length - 1]).toBe('4 s');
  });

  it('adds a lane for key changes when the key changes', () => {
    const keys = [
      { start: 0, end: 2, label: 'C major' },
      { start: 2, end: 4, label: 'A minor' },
    ];
    const changing = pianoRollSvg(NOTES, { ...overlay, keys });
    expect(elementsOfClass(changing, 'key-label').map((label) => label.text)).toEqual(['C major', 'A minor']);
    expect(elementsOfClass(svg, 'key-label')).toEqual([]);
  });

  it('leaves a name that does not fit its box to the tooltip', () => {
    const crowded = pianoRollSvg(
      NOTES,
      {
        chords: [
          { start: 0, end: 0.05, label: 'Cmaj7#11' },
          { start: 0.05, end: 3, label: 'Cmaj7#11' + '/E' },
        ],
      },
      { width: 600 },
    );
    expect(elementsOfClass(crowded, 'chord').map((chord) => chord.attributes['data-label'])).toEqual([
      'Cmaj7#11',
      'Cmaj7#11/E',
    ]);
    expect(elementsOfClass(crowded, 'chord-label').map((label) => label.text)).toEqual(['Cmaj7#11/E']);
  });

  it('merges repeated chords only where they touch', () => {
    const spans = [
      { start: 0, end: 1, label: 'C' },
      { start: 1, end: 2, label: 'C' },
      { start: 3, end: 4, label: 'C' },
    ];
    expect(mergeRepeats(spans)).toEqual([
      { start: 0, end: 2, label: 'C' },
      { start: 3, end: 4, label: 'C' },
    ]);
  });
});

describe('the whole picture', () => {
  it('is well-formed XML with text escaped, whatever the names hold', () => {
    const title = `Tom & Jerry's "<take>".mid`;
    const svg = pianoRollSvg(NOTES, { key: 'C <major>', chords: [{ start: 0, end: 3, label: 'A&B' }] }, { title });
    expect(() => parseSvg(svg)).not.toThrow();
    expect(svg).toContain('Tom &amp; Jerry&apos;s &quot;&lt;take&gt;&quot;.mid');
    expect(svg).toContain('C &lt;major&gt;');
    expect(svg).not.toContain('<take>');
    expect(elementsOfClass(svg, 'chord-label')[0].text).toBe('A&amp;B');
  });

  it('is sized from the notes: wider for longer music, taller for a wider range, within bounds', () => {
    const size = (notes: NoteEvent[]) => parseSvg(pianoRollSvg(notes));
    const short = size([{ pitch: C4, start: 0, end: 8, velocity: 80 }]);
    const long = size([{ pitch: C4, start: 0, end: 16, velocity: 80 }]);
    expect(long.width).toBeGreaterThan(short.width * 1.8);
    const wide = size([
      { pitch: 21, start: 0, end: 8, velocity: 80 },
      { pitch: 108, start: 0, end: 8, velocity: 80 },
    ]);
    expect(wide.height).toBeGreaterThan(short.height);
    // A whole piano keyboard and a whole song still fit a screen's height and a sane width.
    expect(wide.height).toBeLessThan(800);
    expect(size([{ pitch: C4, start: 0, end: 600, velocity: 80 }]).width).toBeLessThan(4000);
  });

  it('takes the width it is given, down to what the header needs', () => {
    expect(parseSvg(pianoRollSvg(NOTES, {}, { width: 1000 })).width).toBe(1000);
    expect(parseSvg(pianoRollSvg(NOTES, {}, { width: 100 })).width).toBe(ROLL_SCALE.minPictureWidth);
  });

  it('draws only the stretch asked for, cutting notes at its edges', () => {
    const svg = pianoRollSvg(NOTES, {}, { from: 0.75, to: 2.5 });
    expect([...notesByPitch(svg).keys()].sort()).toEqual([C4, E4, G4, B4, C5].sort());
    const clipped = pianoRollSvg(NOTES, {}, { from: 1.2, to: 1.4 });
    expect([...notesByPitch(clipped).keys()]).toEqual([E4]);
    expect(clipped).toContain('<g class="notes" clip-path="url(#roll-area)">');
    expect(elementsOfClass(clipped, 'time-label')[0].text).toBe('1.2 s');
  });

  it('with no notes, is an honest empty roll that says so', () => {
    const svg = pianoRollSvg([], {}, { title: 'silence.mid' });
    expect(() => parseSvg(svg)).not.toThrow();
    expect(elementsOfClass(svg, 'note')).toEqual([]);
    expect(elementsOfClass(svg, 'empty').map((message) => message.text)).toEqual(['no notes']);
    expect(elementsOfClass(svg, 'pitch-label').map((label) => label.text)).toEqual(['C3', 'C4', 'C5']);
  });

  it('refuses a time range that ends before it starts', () => {
    expect(() => pianoRollSvg(NOTES, {}, { from: 2, to: 1 })).toThrow(RangeError);
  });
});

describe('the overlay of an analysis', () => {
  it('names chords by their symbols, numerals where there are any, and keys by name', () => {
    const key = { tonic: 'C', mode: 'major' as const, name: 'C major', confidence: 0.9 };
    const chord = {
      bar: 1,
      beat: 1,
      label: 'C:maj',
      root: 'C',
      quality: 'maj',
      bass: null,
      role: 'diatonic' as const,
      key: 'C major',
    };
    const overlay = overlayFromAnalysis({
      duration: 2,
      key,
      keyChanges: [{ start: 0, end: 2, bar: 1, key }],
      chords: [
        { ...chord, start: 0, end: 1, symbol: 'C', numeral: 'I' },
        { ...chord, start: 1, end: 2, symbol: 'N', label: 'N', numeral: null, role: null },
      ],
      grid: { beats: [0, 1], bars: [0], tempo: 60, meter: [4, 4], estimated: true },
      profile: 'temperley',
      notes: 3,
    });
    expect(overlay.key).toBe('C major');
    expect(overlay.keys).toEqual([{ start: 0, end: 2, label: 'C major' }]);
    expect(overlay.chords).toEqual([
      { start: 0, end: 1, label: 'C', numeral: 'I' },
      { start: 1, end: 2, label: 'N', numeral: undefined },
    ]);
  });
});
