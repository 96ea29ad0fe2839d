/**
 * Reading back the piano-roll SVGs jam writes: elements by class with their attributes and text. The
 * pictures are flat, one element per line, so a pattern is enough; well-formedness is checked with
 * resvg's XML parser, which refuses malformed documents.
 */
import { Resvg } from '@resvg/resvg-js';

export interface SvgElement {
  tag: string;
  attributes: Record<string, string>;
  /** The text inside, for <text> elements (tags such as <tspan> removed, entities kept). */
  text: string;
  /** The first <title> inside, the element's tooltip. */
  title?: string;
}

/** Every element whose class attribute is exactly `className`, in document order. */
export function elementsOfClass(svg: string, className: string): SvgElement[] {
  const pattern = new RegExp(`<(\\w+) class="${className}"([^>]*?)(/>|>([\\s\\S]*?)</\\1>)`, 'g');
  return [...svg.matchAll(pattern)].map((match) => {
    const inner = match[4] ?? '';
    const title = /<title>([^<]*)<\/title>/.exec(inner)?.[1];
    return {
      tag: match[1],
      attributes: attributesOf(match[2]),
      text: inner.replace(/<title>[^<]*<\/title>/g, '').replace(/<[^>]+>/g, ''),
      title,
    };
  });
}

export function attributesOf(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/([\w:-]+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
}

/** A numeric attribute, failing loudly when it is missing. */
export function numberOf(element: SvgElement, name: string): number {
  const value = element.attributes[name];
  if (value === undefined) throw new Error(`<${element.tag}> has no ${name}`);
  return Number(value);
}

/** Parses with resvg (roxmltree underneath): throws on anything that is not well-formed XML and SVG. */
export function parseSvg(svg: string): { width: number; height: number } {
  const parsed = new Resvg(svg, { font: { loadSystemFonts: false } });
  return { width: parsed.width, height: parsed.height };
}
