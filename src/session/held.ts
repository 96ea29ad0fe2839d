/**
 * The notes each player has sounding at a receiver, so that none is left hanging: when a player leaves or drops,
 * and when a snapshot says what is sounding after messages were skipped, this gives the events that bring the
 * receiver's notes in line. Events made here carry sequence number MADE_HERE: no player sent them.
 */
import type { SessionEvent, SoundingNotes } from './protocol.js';

/** The sequence number of events a receiver makes itself (never sent by a player). */
export const MADE_HERE = 0;

export class HeldNotes {
  private readonly notes = new Map<string, Map<number, SessionEvent>>();
  /** Each player's latest event, whose audio time the made-up events take. */
  private readonly latest = new Map<string, SessionEvent>();

  /** Takes note of an event as it is played. */
  track(event: SessionEvent): void {
    if (event.seq !== MADE_HERE) this.latest.set(event.from, event);
    const notes = this.notes.get(event.from) ?? new Map<number, SessionEvent>();
    if (event.type === 'on' && event.velocity > 0) notes.set(event.pitch, event);
    else if (event.type !== 'bend') notes.delete(event.pitch);
    if (notes.size > 0) this.notes.set(event.from, notes);
    else this.notes.delete(event.from);
  }

  players(): string[] {
    return [...this.notes.keys()];
  }

  isSounding(from: string, pitch: number): boolean {
    return this.notes.get(from)?.has(pitch) ?? false;
  }

  /** Note-offs for everything `from` has sounding, stamped `stamp`. */
  endingsOf(from: string, stamp: number): SessionEvent[] {
    const time = this.latest.get(from)?.time;
    return [...(this.notes.get(from)?.values() ?? [])].map((note) => ({
      type: 'off',
      time: time ?? note.time,
      pitch: note.pitch,
      velocity: 0,
      from,
      seq: MADE_HERE,
      stamp,
    }));
  }

  /** The offs and ons that make what sounds here match a snapshot (leaving out `self`, whose notes are its own). */
  toMatch(sounding: readonly SoundingNotes[], stamp: number, self: string): SessionEvent[] {
    const wanted = new Map(sounding.map((entry) => [entry.from, new Set(entry.notes.map((note) => note.pitch))]));
    const events: SessionEvent[] = [];
    for (const [from, notes] of this.notes) {
      for (const note of notes.values()) {
        if (!wanted.get(from)?.has(note.pitch))
          events.push({ type: 'off', time: note.time, pitch: note.pitch, velocity: 0, from, seq: MADE_HERE, stamp });
      }
    }
    for (const { from, notes } of sounding) {
      if (from === self) continue;
      const time = this.latest.get(from)?.time ?? 0;
      for (const { pitch, velocity } of notes) {
        if (!this.isSounding(from, pitch))
          events.push({ type: 'on', time, pitch, velocity, from, seq: MADE_HERE, stamp });
      }
    }
    return events;
  }
}
