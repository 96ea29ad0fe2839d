import { it } from 'vitest';
import { joinSession } from '../../src/session/index.js';
import { attachMesh } from '../../src/session/mesh/node.js';
import { pause, testServer } from './helpers.js';
it('debug', async () => {
  const srv = await testServer();
  const url = `${srv.url}/r/x`;
  const ps = [];
  for (const name of ['Ana', 'Bo', 'Cy']) {
    const c = await joinSession(url, { name, playout: 0 });
    const orig = c.signal.bind(c); c.signal = (to, b) => { console.log(name, '->', to, b.type); orig(to, b); };
    c.on('signal', (m) => console.log(performance.now().toFixed(0), name, '<-', m.from, m.type));
    ps.push({ c, m: attachMesh(c) });
  }
  for (let i = 0; i < 8; i++) {
    await pause(500);
    console.log(performance.now().toFixed(0), ps.map((p) => p.c.state().id + ':' + p.m.stats().map((s) => `${s.peer}=${s.state}`).join(',')).join(' | '));
  }
  for (const p of ps) await p.c.close();
  await srv.close();
}, 20000);
