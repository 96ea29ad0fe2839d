/**
 * Smoothing a sequence of per-step scores into runs: the Viterbi path when staying in a state is free and
 * changing to any other costs the same (though the cost may depend on the step: chords change more
 * readily on a downbeat). Linear in steps × states.
 */

/**
 * `scores[step * states + state]` are log-likelihoods; `changeCost(step)` is what moving into a new
 * state at `step` costs. Returns the best state at each step.
 */
export function smoothPath(scores: Float64Array, states: number, changeCost: (step: number) => number): Int32Array {
  const steps = scores.length / states;
  const path = new Int32Array(steps);
  if (steps === 0) return path;
  const cameFrom = new Int32Array(steps * states);
  let previous = scores.slice(0, states);
  let current = new Float64Array(states);
  for (let step = 1; step < steps; step++) {
    const leader = bestOf(previous);
    const switched = previous[leader] - changeCost(step);
    for (let state = 0; state < states; state++) {
      const stay = previous[state] >= switched;
      current[state] = (stay ? previous[state] : switched) + scores[step * states + state];
      cameFrom[step * states + state] = stay ? state : leader;
    }
    [previous, current] = [current, previous];
  }
  path[steps - 1] = bestOf(previous);
  for (let step = steps - 1; step > 0; step--) path[step - 1] = cameFrom[step * states + path[step]];
  return path;
}

function bestOf(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
