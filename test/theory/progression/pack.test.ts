import { describe, expect, test } from 'vitest';
import { PROGRESSIONS } from '../../../src/theory/progression/data/progressions.js';
import { packKeyPairs, packPlan } from '../../../src/theory/progression/pack.js';
import { chordsFileName, keyName, parseProgression } from '../../../src/theory/progression/parse.js';
import { RHYTHM_STYLES } from '../../../src/theory/progression/rhythm.js';

const PLAN = packPlan();
/** Characters some file systems (Windows, above all) do not allow in a name. */
const NOT_IN_NAMES = /[\\:*?"<>|]/;

describe('the pack plan', () => {
  test('at least 13 000 files, each path unique, every name a .mid file a file system accepts', () => {
    expect(PLAN.length).toBeGreaterThanOrEqual(13_000);
    expect(new Set(PLAN.map((entry) => entry.path)).size).toBe(PLAN.length);
    const badNames = PLAN.filter(
      (entry) => !entry.path.endsWith('.mid') || entry.path.split('/').some((part) => NOT_IN_NAMES.test(part)),
    );
    expect(badNames).toEqual([]);
  });

  test('one folder per major key and its relative minor', () => {
    expect(packKeyPairs().map((pair) => pair.folder)).toEqual([
      'C major – A minor',
      'Db major – Bb minor',
      'D major – B minor',
      'Eb major – C minor',
      'E major – C# minor',
      'F major – D minor',
      'F# major – D# minor',
      'G major – E minor',
      'Ab major – F minor',
      'A major – F# minor',
      'Bb major – G minor',
      'B major – G# minor',
    ]);
    const perFolder = PLAN.length / 12;
    for (const pair of packKeyPairs())
      expect(PLAN.filter((entry) => entry.path.startsWith(`${pair.folder}/`))).toHaveLength(perFolder);
  });

  test('folders and names a producer can browse', () => {
    const byPath = new Map(PLAN.map((entry) => [entry.path, entry]));
    expect(byPath.get('C major – A minor/4 Progressions/Major/pop/I-V-vi-IV.mid')).toMatchObject({
      progression: 'I V vi IV',
      key: { tonic: 'C', mode: 'major' },
      rhythm: 'pop',
    });
    expect(byPath.get('C major – A minor/4 Progressions/Minor/block/i-bVI-bIII-bVII.mid')?.key).toEqual({
      tonic: 'A',
      mode: 'minor',
    });
    expect(byPath.get('C major – A minor/4 Progressions/Dorian/hip-hop/i-IV.mid')?.key).toEqual({
      tonic: 'D',
      mode: 'dorian',
    });
    expect(byPath.get('Eb major – C minor/4 Progressions/Mixolydian/arp-up/I-bVII-IV-I.mid')?.key).toEqual({
      tonic: 'Bb',
      mode: 'mixolydian',
    });
    expect(byPath.get('C major – A minor/4 Progressions/Major/soul/I-V7∕vi-vi-IV.mid')?.progression).toBe(
      'I V7/vi vi IV',
    );
    expect(byPath.get('C major – A minor/1 Triads/C major/vii° - Bdim.mid')).toMatchObject({
      progression: 'vii°',
      rhythm: 'block',
    });
    expect(byPath.get('D major – B minor/1 Triads/B minor/bIII - D.mid')?.key).toEqual({ tonic: 'B', mode: 'minor' });
    expect(byPath.get('C major – A minor/2 Sevenths and ninths/A minor/iiø7 - Bm7b5.mid')).toBeDefined();
    expect(byPath.get('C major – A minor/2 Sevenths and ninths/C major/V9 - G9.mid')).toBeDefined();
    expect(byPath.get('F major – D minor/3 Other chords/dim7/Bbdim7.mid')).toMatchObject({
      progression: 'Bbdim7',
      key: { tonic: 'F', mode: 'major' },
    });
  });

  test('in each folder: 15 triads, 25 sevenths and ninths, 56 other chords, and every progression in every rhythm', () => {
    const folder = PLAN.filter((entry) => entry.path.startsWith('G major – E minor/'));
    const count = (part: string): number => folder.filter((entry) => entry.path.includes(`/${part}/`)).length;
    expect(count('1 Triads')).toBe(15);
    expect(count('2 Sevenths and ninths')).toBe(25);
    expect(count('3 Other chords')).toBe(56);
    expect(count('4 Progressions')).toBe(PROGRESSIONS.length * RHYTHM_STYLES.length);
  });

  test('a progression file is named by its chords, and its folder names its mode', () => {
    const fileNames = new Map<string, string>();
    const misnamed = PLAN.filter((entry) => entry.path.includes('/4 Progressions/')).filter((entry) => {
      const [, modeFolder, rhythm, fileName] = /\/4 Progressions\/(.+?)\/(.+?)\/(.+)\.mid$/.exec(entry.path) ?? [];
      if (!fileNames.has(entry.progression))
        fileNames.set(entry.progression, chordsFileName(parseProgression(entry.progression)));
      return (
        modeFolder.toLowerCase() !== entry.key.mode ||
        rhythm !== entry.rhythm ||
        fileName !== fileNames.get(entry.progression) ||
        !entry.title.includes(keyName(entry.key))
      );
    });
    expect(misnamed).toEqual([]);
  });

  test('--keys picks folders by either key of the pair', () => {
    const folders = (keys: string[]): string[] => [
      ...new Set(packPlan({ keys }).map((entry) => entry.path.split('/')[0])),
    ];
    expect(folders(['C'])).toEqual(['C major – A minor']);
    expect(folders(['F# minor', 'Bb'])).toEqual(['A major – F# minor', 'Bb major – G minor']);
    expect(folders(['Gb', 'Ebm', 'C#'])).toEqual(['Db major – Bb minor', 'F# major – D# minor']);
    expect(() => packPlan({ keys: ['D dorian'] })).toThrow(
      /--keys D dorian: a pack folder is a major key and its relative minor/,
    );
    expect(() => packPlan({ keys: ['H'] })).toThrow(/unknown key "H": did you mean B\?/);
  });
});
