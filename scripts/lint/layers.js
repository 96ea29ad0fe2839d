/**
 * The layers of src/ and what each may import: imports run down the data flow (docs/architecture.md), never up or
 * around it. An ESLint rule, so `npm run lint` fails on an import that breaks the picture.
 */
import path from 'node:path';

/** The layers that jobs combining several of them (src/app) and the command line may use. */
const BELOW_APP = [
  'src/audio',
  'src/midi',
  'src/theory',
  'src/theory/analysis',
  'src/theory/progression',
  'src/transcribe',
  'src/render',
  'src/live',
  'src/batch',
  'src/session',
];

/** Each layer, most specific folder first, with the layers below it that it may use. The base is open to all. */
export const LAYERS = {
  'src/theory/analysis': ['src/theory'],
  'src/theory/progression': ['src/theory'],
  'src/theory': [],
  'src/audio': [],
  'src/midi': [],
  'src/transcribe': ['src/audio', 'src/midi'],
  'src/render': ['src/theory', 'src/theory/analysis'],
  'src/live': ['src/audio', 'src/midi', 'src/transcribe'],
  'src/batch': [],
  'src/session': ['src/midi', 'src/live'],
  // The browser module: only session's pure modules (protocol, clock, playout, tempo, mesh/core), never Node's.
  'src/web': ['src/session'],
  'src/app': BELOW_APP,
  'src/cli': [...BELOW_APP, 'src/app'],
};
const BASE = 'src';
/** The public API re-exports from every layer. */
const isPublicApi = (file) => file === 'src/index.ts' || file.startsWith('src/api/');

/** The layer a file of src/ belongs to: the longest folder of LAYERS that holds it, or the base. */
export function layerOf(file) {
  const folder = Object.keys(LAYERS).find((layer) => file.startsWith(`${layer}/`));
  return folder ?? BASE;
}

/** Why `importer` may not import `target` (both relative to the project), or null when it may. */
export function layerViolation(importer, target) {
  if (isPublicApi(importer) || !importer.startsWith(`${BASE}/`) || !target.startsWith(`${BASE}/`)) return null;
  const from = layerOf(importer);
  const to = layerOf(target);
  if (to === from || to === BASE) return null;
  if (from !== BASE && LAYERS[from].includes(to)) return null;
  return `${from} may not import ${to}: imports run down the layers (docs/architecture.md)`;
}

const rule = {
  meta: { type: 'problem', schema: [], docs: { description: 'imports run down the layers of src/' } },
  create(context) {
    const root = context.cwd;
    const importer = path.relative(root, context.filename).split(path.sep).join('/');
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path
        .relative(root, path.resolve(path.dirname(context.filename), source))
        .split(path.sep)
        .join('/');
      const message = layerViolation(importer, target);
      if (message) context.report({ node: node.source, message });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { 'imports-run-down': rule } };
