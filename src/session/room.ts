/**
 * A room: its players and listeners, the shared tempo, the history of what was played (under an epoch and
 * consecutive offsets) and, per player, the notes sounding now and the highest sequence number received, so an
 * event that comes twice is relayed once. No sockets here: the server drives it.
 */
import { randomInt } from 'node:crypto';
import type { LiveEvent } from '../types.js';
import { HISTORY_BYTES, HISTORY_EVENTS, MAX_PLAYER_RECORDS } from './constants.js';
import { HistoryRing } from './history.js';
import { idOf, sanitizeName } from './limits.js';
import type { LinkStats, PlayerInfo, Role, SoundingNotes, SyncMode, Tempo } from './protocol.js';
import { defaultTempo } from './tempo.js';

export interface Member {
  id: string;
  name: string;
  role: Role;
  sync: SyncMode;
  bars: number;
  connected: boolean;
  lastSeq: number;
  /** Pitch → velocity of the notes this player has sounding. */
  sounding: Map<number, number>;
  stats?: LinkStats;
}

export interface RoomOptions {
  historyEvents?: number;
  historyBytes?: number;
  /** Relay MIDI system messages (SysEx, clock). */
  allowSystem?: boolean;
  epoch?: number;
}

export interface JoinRequest {
  name?: string;
  role: Role;
  sync?: SyncMode;
  bars?: number;
  /** The id the client had before a reconnect. */
  resumeId?: string;
}

export class Room {
  readonly epoch: number;
  readonly history: HistoryRing;
  readonly allowSystem: boolean;
  readonly members = new Map<string, Member>();
  tempo: Tempo = defaultTempo();
  /** The newest offset given out (0: none yet). */
  offset = 0;

  constructor(
    readonly name: string,
    options: RoomOptions = {},
  ) {
    this.epoch = options.epoch ?? randomInt(1, 0xffffffff);
    this.history = new HistoryRing(options.historyEvents ?? HISTORY_EVENTS, options.historyBytes ?? HISTORY_BYTES);
    this.allowSystem = options.allowSystem ?? false;
  }

  /**
   * The member record for someone joining: their old record when they come back under the same name (so sequence
   * numbers go on), otherwise a new one whose id no one connected holds.
   */
  join(
    { name: rawName, role, sync = 'realtime', bars = 1, resumeId }: JoinRequest,
    isTaken: (id: string) => boolean,
  ): Member {
    const name = sanitizeName(rawName, role);
    const base = idOf(name);
    let id = base;
    const own = (candidate: string) => {
      const member = this.members.get(candidate);
      return member !== undefined && member.role === role && (!isTaken(candidate) || candidate === resumeId);
    };
    for (let n = 2; this.members.has(id) && !own(id); n++) id = `${base}-${n}`;
    const member = this.members.get(id) ?? {
      id,
      name,
      role,
      sync,
      bars,
      connected: false,
      lastSeq: 0,
      sounding: new Map(),
    };
    Object.assign(member, { name, sync, bars, connected: true });
    this.members.delete(id);
    this.members.set(id, member);
    this.forgetOldRecords();
    return member;
  }

  /** True when the event is new from this member (and takes note of its sequence number). */
  accept(member: Member, seq: number): boolean {
    if (seq <= member.lastSeq) return false;
    member.lastSeq = seq;
    return true;
  }

  /** Keeps the member's sounding notes up to date. */
  play(member: Member, event: LiveEvent): void {
    if (event.type === 'on' && event.velocity > 0) member.sounding.set(event.pitch, event.velocity);
    else if (event.type === 'off' || event.type === 'on') member.sounding.delete(event.pitch);
  }

  /** The next offset, for a message about to be relayed and kept. */
  nextOffset(): number {
    return ++this.offset;
  }

  keep(offset: number, from: string, data: Buffer): void {
    this.history.push({ offset, from, data });
  }

  /** Every connected player's sounding notes, for a snapshot. */
  sounding(): SoundingNotes[] {
    return [...this.members.values()]
      .filter((member) => member.sounding.size > 0)
      .map((member) => ({
        from: member.id,
        notes: [...member.sounding].map(([pitch, velocity]) => ({ pitch, velocity })),
      }));
  }

  /** A member is gone (left or dropped): their notes are ended for everyone. */
  leave(member: Member): void {
    member.connected = false;
    member.sounding.clear();
  }

  get connectedCount(): number {
    let count = 0;
    for (const member of this.members.values()) if (member.connected) count++;
    return count;
  }

  players(): PlayerInfo[] {
    return [...this.members.values()].map(infoOf);
  }

  /** Drops the records of people long gone, oldest first, once there are too many. */
  private forgetOldRecords(): void {
    for (const [id, member] of this.members) {
      if (this.members.size <= MAX_PLAYER_RECORDS) break;
      if (!member.connected) this.members.delete(id);
    }
  }
}

export function infoOf(member: Member): PlayerInfo {
  return {
    id: member.id,
    name: member.name,
    role: member.role,
    sync: member.sync,
    bars: member.bars,
    connected: member.connected,
  };
}
