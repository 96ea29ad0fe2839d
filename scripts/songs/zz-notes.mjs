import { devSong } from '/work/main/scripts/songs/dev.js';
const [idx, from, to] = process.argv.slice(2).map(Number);
const song = devSong(idx, 'x'); const q = 60 / song.bpm;
console.log(song.parts.map(p => p.name + ':' + p.program).join(' '));
for (const p of song.parts) { if (p.name === 'drums') continue;
  console.log(p.name, p.notes.filter(n => n.start * q >= from && n.start * q < to).map(n => `${n.pitch}@${(n.start*q).toFixed(2)}-${(n.end*q).toFixed(2)}`).join(' ')); }
