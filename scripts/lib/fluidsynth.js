// Rendering MIDI to audio with FluidSynth and the FluidR3 GM soundfont, for the fixtures and benchmarks.
// Needs the Debian packages fluidsynth and fluid-soundfont-gm (and ffmpeg for other formats).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export const SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';

/** Renders `midPath` to a 16-bit WAV without reverb or chorus, so the audio holds only the notes. */
export function renderWav(midPath, wavPath, { gain, sampleRate }) {
  execFileSync(
    'fluidsynth',
    [
      '-ni',
      '-q',
      '-R',
      '0',
      '-C',
      '0',
      '-g',
      String(gain),
      '-r',
      String(sampleRate),
      '-T',
      'wav',
      '-O',
      's16',
      '-F',
      wavPath,
      SOUNDFONT,
      midPath,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/** Null if the command runs, else why not. */
function commandMissing(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return null;
  } catch (err) {
    return err.code === 'ENOENT' ? `${command} not found` : null;
  }
}

/** The first missing tool, as a one-line message naming the Debian package to install. */
export function missingTool({ ffmpeg = false } = {}) {
  if (commandMissing('fluidsynth', ['--version'])) return 'fluidsynth not found: apt-get install fluidsynth';
  if (!fs.existsSync(SOUNDFONT)) return `soundfont ${SOUNDFONT} not found: apt-get install fluid-soundfont-gm`;
  if (ffmpeg && commandMissing('ffmpeg', ['-version'])) return 'ffmpeg not found: apt-get install ffmpeg';
  return null;
}
