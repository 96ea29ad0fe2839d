/** The named progressions of `data/progressions.ts`: listed, filtered by tag and mode, found by name. */
import { excerpt, JamError } from '../../errors.js';
import { GENRES, MOODS, PROGRESSIONS, type LibraryProgression } from './data/progressions.js';
import type { ModeName } from './parse.js';
import { nearestWords, orList } from '../../suggest.js';

export type { LibraryProgression };

export interface LibraryFilter {
  /** Moods or genres the progression must have, all of them. */
  tags?: string[];
  mode?: ModeName;
}

/** How many names an unknown name's message suggests. */
const SUGGESTIONS = 3;

/** Every tag a progression can have: the moods, then the genres. */
export const TAGS: readonly string[] = [...MOODS, ...GENRES];

function checkTag(tag: string): string {
  const known = tag.toLowerCase();
  if (TAGS.includes(known)) return known;
  const suggestions = nearestWords(known, TAGS);
  const hint = suggestions.length > 0 ? `did you mean ${orList(suggestions)}? ` : '';
  throw new JamError(`unknown tag ${excerpt(tag)}: ${hint}moods: ${MOODS.join(', ')}; genres: ${GENRES.join(', ')}`);
}

export function tagsOf(progression: LibraryProgression): string[] {
  return [...progression.moods, ...progression.genres];
}

export function listProgressions(filter: LibraryFilter = {}): LibraryProgression[] {
  const tags = (filter.tags ?? []).map(checkTag);
  return PROGRESSIONS.filter(
    (progression) =>
      (filter.mode === undefined || progression.mode === filter.mode) &&
      tags.every((tag) => tagsOf(progression).includes(tag)),
  );
}

/** Names like `wanted`: names containing it, then names that begin nearly like it, then names nearly like it. */
function namesLike(wanted: string): string[] {
  const names = PROGRESSIONS.map((progression) => progression.name);
  const containing = names.filter((name) => name.toLowerCase().includes(wanted));
  const starts = names.map((name) => name.toLowerCase().slice(0, wanted.length));
  const beginningLike = nearestWords(wanted, starts).flatMap((start) =>
    names.filter((name) => name.toLowerCase().startsWith(start)),
  );
  const nearlyLike = nearestWords(
    wanted,
    names.map((name) => name.toLowerCase()),
  ).map((lower) => names.find((name) => name.toLowerCase() === lower) ?? lower);
  return [...new Set([...containing, ...beginningLike, ...nearlyLike])].slice(0, SUGGESTIONS);
}

/** A progression by its name, in any letter case; an unknown name is a JamError suggesting names like it. */
export function findProgression(name: string): LibraryProgression {
  const wanted = name.trim().toLowerCase();
  const found = PROGRESSIONS.find((progression) => progression.name.toLowerCase() === wanted);
  if (found) return found;
  const suggestions = namesLike(wanted);
  const hint =
    suggestions.length > 0 ? `did you mean ${orList(suggestions.map((suggestion) => `"${suggestion}"`))}? ` : '';
  throw new JamError(
    `no progression named ${excerpt(name)} in the library: ${hint}jam progression --list shows them all`,
  );
}
