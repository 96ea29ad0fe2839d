/** The band over the roll: the title, the piece's key, and the velocity legend at the right. */
import { MAX_VELOCITY } from '../notes.js';
import type { Layout } from './rollLayout.js';
import { COLOURS, SIZES } from './rollStyle.js';
import { fitText, textWidth } from './rollText.js';
import { element, escapeXml, num } from './svgElements.js';

export function header(layout: Layout, key: string | undefined, title: string | undefined): string {
  const legendLeft = layout.width - SIZES.marginRight - SIZES.legendWidth;
  const legendCaptionWidth = textWidth('velocity', SIZES.laneLabelFont);
  const legendCaptionLeft = legendLeft - legendCaptionWidth - 6;
  const keyText = key ? `Key: ${key}` : '';
  const keyRight = legendCaptionLeft - 24;
  const keyLeft = keyRight - textWidth(keyText, SIZES.keyFont);
  const titleLeft = 12;
  const titleRoom = (key ? keyLeft : legendCaptionLeft) - titleLeft - 16;
  const baseline = 25;
  const parts = [];
  if (title)
    parts.push(
      element(
        'text',
        {
          class: 'title',
          x: titleLeft,
          y: baseline,
          'font-size': SIZES.titleFont,
          'font-weight': 'bold',
          fill: COLOURS.text,
        },
        escapeXml(fitText(title, titleRoom, SIZES.titleFont)),
      ),
    );
  if (key)
    parts.push(
      element(
        'text',
        {
          class: 'key',
          x: num(keyRight),
          y: baseline,
          'text-anchor': 'end',
          'font-size': SIZES.keyFont,
          fill: COLOURS.text,
        },
        `Key: <tspan font-weight="bold">${escapeXml(key)}</tspan>`,
      ),
    );
  parts.push(legend(legendLeft, legendCaptionLeft));
  return parts.join('\n');
}

/** Velocity legend: the colour ramp with its ends and middle named. */
function legend(left: number, captionLeft: number): string {
  const top = 12;
  const labels = [1, 64, MAX_VELOCITY].map((velocity) => {
    const x = left + ((velocity - 1) / (MAX_VELOCITY - 1)) * SIZES.legendWidth;
    const anchor = velocity === 1 ? 'start' : velocity === MAX_VELOCITY ? 'end' : 'middle';
    return element(
      'text',
      {
        x: num(x),
        y: top + SIZES.legendHeight + 11,
        'text-anchor': anchor,
        'font-size': SIZES.axisFont - 1,
        fill: COLOURS.mutedText,
      },
      velocity,
    );
  });
  return [
    '<g class="legend">',
    element(
      'text',
      {
        x: num(captionLeft),
        y: top + SIZES.legendHeight - 1,
        'font-size': SIZES.laneLabelFont,
        fill: COLOURS.mutedText,
      },
      'velocity',
    ),
    element('rect', {
      x: num(left),
      y: top,
      width: SIZES.legendWidth,
      height: SIZES.legendHeight,
      rx: '2',
      fill: 'url(#velocity-ramp)',
      stroke: COLOURS.laneBorder,
      'stroke-width': '0.5',
    }),
    ...labels,
    '</g>',
  ].join('\n');
}
