#!/usr/bin/env node
// A full chord pack (every key pair, every chord and library progression in every rhythm), written to a
// temporary folder and timed: the files and the seconds, against the one-minute target. Run after `npm run build`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Progression } from '../dist/index.js';

const { packPlan, writePack } = Progression;

const TARGET_SECONDS = 60;

const folder = mkdtempSync(join(tmpdir(), 'jam-bench-pack-'));
try {
  const started = performance.now();
  const plan = packPlan();
  const files = await writePack(join(folder, 'pack'), plan);
  const seconds = (performance.now() - started) / 1000;
  console.log('jam pack: the full pack, planned, rendered and written (atomically) to a temporary folder, in one run');
  console.log('| files | seconds | files per second | target |');
  console.log('| ---: | ---: | ---: | ---: |');
  console.log(
    `| ${files} | ${seconds.toFixed(1)} | ${Math.round(files / seconds)} | under ${TARGET_SECONDS} s, at least 13000 files |`,
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
}
