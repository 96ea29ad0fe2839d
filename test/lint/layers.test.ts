import { describe, expect, it } from 'vitest';
// @ts-expect-error -- the lint rule is plain JavaScript beside the ESLint config
import { layerOf, layerViolation } from '../../scripts/lint/layers.js';

describe('the layer rule', () => {
  it('refuses an import up or around the layers, naming both', () => {
    expect(layerViolation('src/midi/write.ts', 'src/transcribe/constants.ts')).toMatch(
      /^src\/midi may not import src\/transcribe/,
    );
    expect(layerViolation('src/theory/analysis/beats.ts', 'src/midi/smf.ts')).toMatch(/src\/theory\/analysis/);
    expect(layerViolation('src/theory/analysis/key.ts', 'src/theory/progression/parse.ts')).not.toBeNull();
    expect(layerViolation('src/live/pipeline.ts', 'src/session/client.ts')).not.toBeNull();
    expect(layerViolation('src/errors.ts', 'src/audio/decode.ts')).not.toBeNull();
  });

  it('allows imports down the layers, within a layer, from the base, and anything from the public API or tests', () => {
    expect(layerViolation('src/transcribe/transcribe.ts', 'src/midi/write.ts')).toBeNull();
    expect(layerViolation('src/theory/analysis/chords.ts', 'src/theory/chordVocabulary.ts')).toBeNull();
    expect(layerViolation('src/session/client.ts', 'src/clock.ts')).toBeNull();
    expect(layerViolation('src/cli/join.ts', 'src/app/load.ts')).toBeNull();
    expect(layerViolation('src/api/session.ts', 'src/session/server.ts')).toBeNull();
    expect(layerViolation('test/midi/write.test.ts', 'src/cli/main.ts')).toBeNull();
  });

  it('puts a file in the most specific layer that holds it', () => {
    expect(layerOf('src/theory/analysis/key.ts')).toBe('src/theory/analysis');
    expect(layerOf('src/theory/chordVocabulary.ts')).toBe('src/theory');
    expect(layerOf('src/transcribe/onnx/convert/ops.ts')).toBe('src/transcribe');
    expect(layerOf('src/types.ts')).toBe('src');
  });
});
