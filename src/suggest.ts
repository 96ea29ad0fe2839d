/** "Did you mean …?": the candidates nearest to a word the user mistyped, by edit distance. */

/** A change of letter case alone ("iV" for "IV") costs half a typo: the letters were right. */
const CASE_ONLY_COST = 0.5;
/** A suggestion may differ from the word in at most half its letters (one, for a short word); further is a guess. */
function mostEdits(word: string): number {
  return Math.max(1, Math.floor(word.length / 2));
}

/** Levenshtein distance in which a substitution that only changes letter case costs less. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const x = a[i - 1];
      const y = b[j - 1];
      const substitution = x === y ? 0 : x.toLowerCase() === y.toLowerCase() ? CASE_ONLY_COST : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution);
    }
    previous = current;
  }
  return previous[b.length];
}

/** Up to `count` candidates nearest to `word` (closest first, ties in the candidates' order). */
export function nearestWords(word: string, candidates: readonly string[], count = 3): string[] {
  const scored = [...new Set(candidates)].map((candidate, order) => ({
    candidate,
    order,
    distance: editDistance(word, candidate),
  }));
  const close = scored.filter(({ distance }) => distance <= mostEdits(word));
  return close
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .slice(0, count)
    .map(({ candidate }) => candidate);
}

/** "A, B or C" for a message. */
export function orList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
