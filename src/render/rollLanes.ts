/** The lanes above the roll: key changes, chord names with their numerals, and bar numbers. */
import { averageSpacing, labelEvery, type Layout } from './rollLayout.js';
import { mergeRepeats, SAME_TIME, type ChordSpan, type LabelledSpan } from './rollOverlay.js';
import { COLOURS, ROLL_SCALE, SIZES } from './rollStyle.js';
import { fittingFont, seconds } from './rollText.js';
import { element, escapeXml, num } from './svgElements.js';

export function keyLane(layout: Layout, keys: LabelledSpan[] | undefined): string {
  if (layout.keyLaneTop === undefined || !keys) return '';
  return lane(layout, 'key', 'key', mergeRepeats(keys), layout.keyLaneTop, SIZES.keyLane);
}

export function chordLane(layout: Layout, chords: ChordSpan[] | undefined): string {
  if (layout.chordLaneTop === undefined || !chords) return '';
  const height = chords.some((chord) => chord.numeral) ? SIZES.chordLaneWithNumerals : SIZES.chordLane;
  return lane(layout, 'chord', 'chords', mergeRepeats(chords), layout.chordLaneTop, height);
}

/** A row of named boxes over the roll's time axis; names that do not fit are left to the tooltip. */
function lane(layout: Layout, kind: string, caption: string, spans: ChordSpan[], top: number, height: number): string {
  const parts = [`<g class="${kind}-lane">`, laneCaption(caption, top, height)];
  spans.forEach((span, index) => {
    const x1 = Math.max(layout.x(span.start), layout.left);
    const x2 = Math.min(layout.x(span.end), layout.right);
    if (x2 - x1 < 0.5) return;
    const noChord = span.label === 'N';
    const fill = noChord ? COLOURS.noChordFill : COLOURS.laneFill[index % COLOURS.laneFill.length];
    const tooltip = span.numeral ? `${span.label} (${span.numeral})` : span.label;
    parts.push(
      element(
        'g',
        { class: kind, 'data-label': escapeXml(span.label) },
        element('title', {}, `${escapeXml(tooltip)}, ${seconds(span.start)}–${seconds(span.end)}`) +
          element('rect', {
            x: num(x1),
            y: top + 1,
            width: num(x2 - x1),
            height: height - 2,
            fill,
            stroke: COLOURS.laneBorder,
            'stroke-width': '0.6',
          }) +
          spanTexts(kind, span, { x1, x2, top, height }),
      ),
    );
  });
  parts.push('</g>');
  return parts.join('\n');
}

/** A span's name, and its numeral under it, each at the largest font that fits the box; none that never fits. */
function spanTexts(
  kind: string,
  span: ChordSpan,
  box: { x1: number; x2: number; top: number; height: number },
): string {
  const { x1, x2, top, height } = box;
  const noChord = span.label === 'N';
  const middle = (x1 + x2) / 2;
  const room = x2 - x1 - 4;
  const texts = [];
  const nameFont = fittingFont(span.label, room, kind === 'key' ? SIZES.laneLabelFont : SIZES.chordFont);
  const nameBaseline = span.numeral ? top + 14 : top + height / 2 + (nameFont ?? 0) * 0.36;
  if (nameFont) {
    texts.push(
      element(
        'text',
        {
          class: `${kind}-label`,
          x: num(middle),
          y: num(nameBaseline),
          'text-anchor': 'middle',
          'font-size': nameFont,
          'font-weight': kind === 'chord' && !noChord ? 'bold' : 'normal',
          fill: noChord ? COLOURS.mutedText : COLOURS.text,
        },
        escapeXml(span.label),
      ),
    );
  }
  const numeralFont = span.numeral ? fittingFont(span.numeral, room, SIZES.numeralFont) : undefined;
  if (span.numeral && numeralFont) {
    texts.push(
      element(
        'text',
        {
          class: 'numeral',
          x: num(middle),
          y: top + height - 7,
          'text-anchor': 'middle',
          'font-size': numeralFont,
          fill: COLOURS.mutedText,
        },
        escapeXml(span.numeral),
      ),
    );
  }
  return texts.join('');
}

/** A lane's name, in the margin left of the roll where the pitch names stand. */
function laneCaption(caption: string, top: number, height: number): string {
  const font = SIZES.axisFont;
  return element(
    'text',
    {
      x: SIZES.marginLeft - 6,
      y: num(top + height / 2 + font * 0.36),
      'text-anchor': 'end',
      'font-size': font,
      fill: COLOURS.mutedText,
    },
    caption,
  );
}

export function barNumbers(layout: Layout, bars: number[] | undefined): string {
  if (layout.barNumbersTop === undefined || !bars) return '';
  const every = labelEvery(averageSpacing(bars.map(layout.x)), ROLL_SCALE.minBarNumberSpacing);
  const baseline = layout.barNumbersTop + SIZES.barNumbers - 4;
  const parts = ['<g class="bar-numbers">', laneCaption('bar', layout.barNumbersTop, SIZES.barNumbers)];
  bars.forEach((time, index) => {
    const x = layout.x(time);
    if (index % every !== 0 || x < layout.left - SAME_TIME || x > layout.right - 8) return;
    parts.push(
      element(
        'text',
        { class: 'bar-number', x: num(x + 3), y: baseline, 'font-size': SIZES.axisFont, fill: COLOURS.mutedText },
        index + 1,
      ),
    );
  });
  parts.push('</g>');
  return parts.join('\n');
}
