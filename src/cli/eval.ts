/**
 * `jam eval`: scores an estimate against a reference the way MIREX does (and mir_eval computes it):
 * notes (precision, recall, F1), chords (.lab files; root, majmin and sevenths recall) and keys.
 */
import type { Argv, CommandModule } from 'yargs';
import { JamError } from '../errors.js';
import { readInputFile } from '../files.js';
import { chordScores, keyScore } from '../theory/analysis/evaluate.js';
import { parseKey } from '../theory/analysis/key.js';
import { parseLab } from '../theory/analysis/lab.js';
import { loadPiece } from '../app/load.js';
import type { KeyEstimate } from '../theory/analysis/types.js';
import {
  DEFAULT_OFFSET_MIN_TOLERANCE,
  DEFAULT_ONSET_TOLERANCE,
  DEFAULT_PITCH_TOLERANCE_CENTS,
  MIREX_OFFSET_RATIO,
  scoreNotes,
  type NoteScores,
} from '../transcribe/score.js';
import { userArg } from './args.js';

interface EvalArgs {
  reference: string;
  estimate: string;
  json: boolean;
}

interface NotesArgs extends EvalArgs {
  onsetTolerance: number;
  pitchTolerance: number;
  offsetRatio: number;
  offsetMinTolerance: number;
}

function pair(yargs: Argv, what: string): Argv {
  return yargs
    .positional('reference', { type: 'string', describe: `The reference ${what}` })
    .positional('estimate', { type: 'string', describe: `The estimated ${what}` })
    .option('json', { type: 'boolean', default: false, describe: 'Print the scores as one JSON line' });
}

const notesCommand: CommandModule<object, NotesArgs> = {
  command: 'notes <reference> <estimate>',
  describe: 'Note precision, recall and F1, onsets only and onsets with offsets (MIDI, note JSON or audio)',
  builder: (yargs) =>
    pair(yargs, 'notes: MIDI, note JSON, or audio (transcribed first)')
      .option('onset-tolerance', {
        requiresArg: true,
        type: 'number',
        default: DEFAULT_ONSET_TOLERANCE,
        describe: 'Largest onset difference that matches, in seconds',
      })
      .option('pitch-tolerance', {
        requiresArg: true,
        type: 'number',
        default: DEFAULT_PITCH_TOLERANCE_CENTS,
        describe: 'Largest pitch difference that matches, in cents',
      })
      .option('offset-ratio', {
        requiresArg: true,
        type: 'number',
        default: MIREX_OFFSET_RATIO,
        describe: 'Offset tolerance as a share of the reference note length',
      })
      .option('offset-min-tolerance', {
        requiresArg: true,
        type: 'number',
        default: DEFAULT_OFFSET_MIN_TOLERANCE,
        describe: 'Smallest offset tolerance, in seconds',
      })
      .example(
        '$0 eval notes song.mid take.mid',
        'Score a transcription against its source',
      ) as unknown as Argv<NotesArgs>,
  handler: async (args) => {
    const [reference, estimate] = await Promise.all(
      [args.reference, args.estimate].map(async (file) => (await loadPiece(userArg(file))).notes),
    );
    const tolerances = {
      onsetTolerance: args.onsetTolerance,
      pitchTolerance: args.pitchTolerance,
      offsetMinTolerance: args.offsetMinTolerance,
    };
    const onset = scoreNotes(reference, estimate, tolerances);
    const offset = scoreNotes(reference, estimate, { ...tolerances, offsetRatio: args.offsetRatio });
    if (args.json) {
      process.stdout.write(
        JSON.stringify({ reference: args.reference, estimate: args.estimate, onset, onsetOffset: offset }) + '\n',
      );
      return;
    }
    process.stdout.write(
      `${onset.reference} reference notes, ${onset.estimate} estimated\n${scoreLine('onset', onset)}\n${scoreLine('onset+offset', offset)}\n`,
    );
  },
};

function scoreLine(name: string, scores: NoteScores): string {
  return `${name.padEnd(13)} precision ${scores.precision.toFixed(3)}  recall ${scores.recall.toFixed(3)}  F1 ${scores.f1.toFixed(3)}`;
}

const chordsCommand: CommandModule<object, EvalArgs> = {
  command: 'chords <reference> <estimate>',
  describe: 'Chord symbol recall over the root, majmin and sevenths vocabularies (.lab files)',
  builder: (yargs) =>
    pair(yargs, 'chords, a MIREX .lab file (start end Harte-label)').example(
      '$0 analyze song.mid --format lab > song.lab && $0 eval chords truth.lab song.lab',
      "Score jam's chords",
    ) as unknown as Argv<EvalArgs>,
  handler: async (args) => {
    const [reference, estimate] = await Promise.all(
      [args.reference, args.estimate].map(async (file) => parseLab(await readText(userArg(file)), file)),
    );
    if (reference.length === 0)
      throw new JamError(`${args.reference}: no chords in it; a .lab file has one "start end label" line per chord`);
    const scores = chordScores(reference, estimate);
    if (args.json) {
      process.stdout.write(JSON.stringify({ reference: args.reference, estimate: args.estimate, ...scores }) + '\n');
      return;
    }
    process.stdout.write(
      `root ${scores.root.toFixed(3)}  majmin ${scores.majmin.toFixed(3)}  sevenths ${scores.sevenths.toFixed(3)}  (over ${scores.duration.toFixed(1)} s)\n`,
    );
  },
};

const keyCommand: CommandModule<object, EvalArgs> = {
  command: 'key <reference> <estimate>',
  describe: 'MIREX weighted key score: a key like "C major", a file holding one, or jam analyze --json output',
  builder: (yargs) =>
    pair(yargs, 'key: "C major", a file with one, or jam analyze --json output').example(
      '$0 eval key "A minor" song.json',
      'Score the key jam analyze found',
    ) as unknown as Argv<EvalArgs>,
  handler: async (args) => {
    const [reference, estimate] = await Promise.all(
      [args.reference, args.estimate].map((given) => readKey(userArg(given))),
    );
    const score = keyScore(reference, estimate);
    if (args.json) {
      process.stdout.write(JSON.stringify({ reference: reference.name, estimate: estimate.name, score }) + '\n');
      return;
    }
    process.stdout.write(`${score} (reference ${reference.name}, estimate ${estimate.name})\n`);
  },
};

/** A key given on the command line, in a text file (mir_eval's format), or in jam analyze --json output. */
async function readKey(given: string): Promise<KeyEstimate> {
  const text = await readText(given).catch((error) => {
    if (error instanceof JamError && /no such file/.test(error.message) && /\s/.test(given)) return null;
    throw error;
  });
  if (text === null) return parseKey(given, 'the key');
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return parseKey(trimmed, given);
  let analysed: { key?: { name?: unknown } | null };
  try {
    analysed = JSON.parse(trimmed.split('\n')[0]);
  } catch {
    throw new JamError(
      `${given}: not valid JSON; give a key like "C major", a file with one, or jam analyze --json output`,
    );
  }
  if (typeof analysed.key?.name !== 'string')
    throw new JamError(`${given}: no key in this analysis (the piece had no notes)`);
  return parseKey(analysed.key.name, given);
}

async function readText(file: string): Promise<string> {
  return (await readInputFile(file, 'a file')).toString('utf8');
}

export const evalCommand: CommandModule = {
  command: 'eval',
  describe: 'Score notes, chords or a key against a reference, as MIREX and mir_eval do',
  builder: (yargs) =>
    yargs
      .command(notesCommand)
      .command(chordsCommand)
      .command(keyCommand)
      .demandCommand(1, 'say what to score: jam eval notes|chords|key REFERENCE ESTIMATE'),
  handler: () => undefined,
};
