/**
 * ONNX Runtime spends much of a session's creation, in each engine thread, optimising the graph for the CPU it runs on:
 * fusing ops and laying convolutions out in its blocked NCHWc format, whose block size depends on the CPU's vector
 * instructions. The build saves each model optimised so, beside it, under a name that says which model, ONNX Runtime
 * version and CPU it is for; a session on that machine loads it as it is. Another machine, version or model finds no
 * such file and optimises as the session starts. Being specific to the CPU, the optimised files are made where jam is
 * installed and never committed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Every engine session runs on one thread of its own (see onnxEngine.ts). */
export const SESSION_OPTIONS = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' } as const;

/** Where the model at `modelPath` optimised for this machine and ONNX Runtime `runtimeVersion` is kept. */
export function optimizedModelPath(modelPath: string, runtimeVersion: string): string {
  const key = createHash('sha256')
    .update(readFileSync(modelPath))
    .update(`\n${runtimeVersion}\n${process.arch}\n${cpuFeatures()}`)
    .digest('hex')
    .slice(0, 16);
  return `${modelPath.replace(/\.onnx$/, '')}.optimized-${key}.onnx`;
}

/** What tells CPUs' instruction sets apart: the flags Linux lists, elsewhere the CPU's name. */
function cpuFeatures(): string {
  const name = cpus()[0]?.model ?? '';
  try {
    return /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? name;
  } catch {
    return name;
  }
}
