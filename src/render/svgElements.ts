/** Writing SVG as text: elements with their attributes in order, escaped text, coordinates to a hundredth. */
import { round } from '../numbers.js';

type Attributes = Record<string, string | number | undefined>;

/** An SVG start tag: the attributes in the order given, those undefined left out. */
export function startTag(name: string, attributes: Attributes): string {
  const written = Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([attribute, value]) => ` ${attribute}="${value}"`);
  return `<${name}${written.join('')}>`;
}

/** An SVG element: closed at once when it holds nothing, else around `content` (already escaped). */
export function element(name: string, attributes: Attributes, content?: string | number): string {
  const start = startTag(name, attributes);
  return content === undefined ? `${start.slice(0, -1)}/>` : `${start}${content}</${name}>`;
}

/** An SVG coordinate or size, to a hundredth of a pixel. */
export function num(value: number): string {
  return String(round(value, 2));
}

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );
}
