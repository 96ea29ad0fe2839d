import { analyzeMidi } from '/work/main/dist/index.js';
import { songLabels, songMidi } from '/work/main/scripts/songs/common.js';
import { devSong } from '/work/main/scripts/songs/dev.js';
import { heldOutSong } from '/work/main/scripts/songs/heldout.js';
const [set, idx, from, to] = process.argv.slice(2);
const song = set === 'dev' ? devSong(Number(idx), 'x') : heldOutSong(Number(idx), 'x');
const a = analyzeMidi(songMidi(song), 'x');
const ref = songLabels(song);
console.log(song.key, song.bpm, a.key.name, a.grid.tempo, a.grid.meter);
for (const r of ref.filter(r => r.start >= Number(from ?? 0) && r.start < Number(to ?? 60))) {
  const est = a.chords.filter(c => c.end > r.start + 0.01 && c.start < r.end - 0.01).map(c => `${c.label}[${c.start.toFixed(2)}]`).join(' ');
  console.log(r.start.toFixed(2), r.label.padEnd(10), '|', est);
}
