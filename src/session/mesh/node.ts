/**
 * The mesh in Node: `PeerLink`s over node-datachannel (libdatachannel), and `attachMesh`, which rides a
 * `SessionClient`: its signalling, its players, its dedupe by (from, seq), its graceful close.
 */
import nodeDataChannel from 'node-datachannel';
import type { DataChannel, DescriptionType, PeerConnection } from 'node-datachannel';
import type { SessionClient } from '../client.js';
import { pairReportsOf } from './core.js';
import type { SignalBody } from '../protocol.js';
import {
  CHANNEL_INIT,
  CHANNEL_LABEL,
  LOW_WATER_BYTES,
  Mesh,
  parseIceServer,
  type LinkCallbacks,
  type MeshOptions,
  type PeerLink,
} from './core.js';

export type NodeMeshOptions = MeshOptions;

/** libdatachannel takes ICE servers as URLs, credentials inside: `turn:user:pass@host:port`. */
function iceUrls(servers: string[]): string[] {
  return servers.map((text) => {
    const server = parseIceServer(text);
    if (!server.username) return server.urls;
    const [scheme, rest] = server.urls.split(/:(.*)/);
    return `${scheme}:${encodeURIComponent(server.username)}:${encodeURIComponent(server.credential!)}@${rest}`;
  });
}

/**
 * One pair over libdatachannel, with perfect negotiation: the offerer (lower id) is impolite and ignores an offer
 * that collides with its own; the polite side drops its own attempt and answers. An offer on a link that already
 * has a remote description is a new session (the other side restarted): the link starts afresh.
 */
class NodeLink implements PeerLink {
  private pc: PeerConnection;
  private channel?: DataChannel;
  private makingOffer = false;
  private queued: Array<{ candidate: string; mid: string }> = [];
  private closed = false;

  constructor(
    private readonly name: string,
    private readonly offerer: boolean,
    private readonly iceServers: string[],
    private readonly callbacks: LinkCallbacks,
  ) {
    this.pc = this.newPc();
    if (offerer) {
      this.wire(this.pc.createDataChannel(CHANNEL_LABEL, { unordered: !CHANNEL_INIT.ordered, maxRetransmits: 0 }));
      this.makingOffer = true;
      this.pc.setLocalDescription();
    }
  }

  private newPc(): PeerConnection {
    const pc = new nodeDataChannel.PeerConnection(this.name, {
      iceServers: this.iceServers,
      disableAutoNegotiation: true,
    });
    pc.onLocalDescription((sdp, type) => {
      if (pc !== this.pc || this.closed) return;
      if (type.toLowerCase() === 'offer') this.makingOffer = false;
      this.callbacks.signal({ type: type.toLowerCase() as 'offer' | 'answer', sdp });
    });
    pc.onLocalCandidate((candidate, mid) => {
      if (pc === this.pc && !this.closed) this.callbacks.signal({ type: 'candidate', candidate, mid });
    });
    pc.onStateChange((state) => {
      if (pc === this.pc && !this.closed && (state === 'failed' || state === 'closed')) this.callbacks.down(state);
    });
    pc.onDataChannel((channel) => {
      if (pc === this.pc && !this.closed) this.wire(channel);
    });
    return pc;
  }

  private wire(channel: DataChannel): void {
    this.channel = channel;
    channel.setBufferedAmountLowThreshold(LOW_WATER_BYTES);
    channel.onOpen(() => channel === this.channel && !this.closed && this.callbacks.open());
    channel.onMessage((data) => {
      if (channel === this.channel && !this.closed && typeof data === 'string') this.callbacks.message(data);
    });
    channel.onClosed(() => channel === this.channel && !this.closed && this.callbacks.down('channel closed'));
    channel.onBufferedAmountLow(() => channel === this.channel && !this.closed && this.callbacks.drained());
  }

  acceptSignal(body: SignalBody): void {
    if (this.closed) return;
    try {
      if (body.type === 'offer' && body.sdp) {
        const collision = this.makingOffer || this.pc.signalingState() !== 'stable';
        if (collision && this.offerer) return; // impolite: ours wins
        if (collision || this.pc.remoteDescription()) this.restart();
        this.pc.setRemoteDescription(body.sdp, 'offer' as DescriptionType);
        this.pc.setLocalDescription();
        this.addQueued();
      } else if (body.type === 'answer' && body.sdp) {
        if (this.pc.signalingState() !== 'have-local-offer') return;
        this.pc.setRemoteDescription(body.sdp, 'answer' as DescriptionType);
        this.addQueued();
      } else if (body.type === 'candidate' && body.candidate) {
        this.queued.push({ candidate: body.candidate, mid: body.mid ?? '0' });
        if (this.pc.remoteDescription()) this.addQueued();
      }
    } catch {
      // A description or candidate libdatachannel refuses: the open timeout sends the pair to the relay.
    }
  }

  /** Polite, or an offer for a new session: this side's own attempt is dropped (a rollback, done by replacement). */
  private restart(): void {
    const old = this.pc;
    this.channel = undefined;
    this.makingOffer = false;
    this.queued = [];
    this.pc = this.newPc();
    old.close();
  }

  private addQueued(): void {
    for (const { candidate, mid } of this.queued.splice(0)) {
      try {
        this.pc.addRemoteCandidate(candidate, mid);
      } catch {
        // A candidate for a session already replaced.
      }
    }
  }

  get open(): boolean {
    return !this.closed && !!this.channel?.isOpen();
  }

  send(data: string): boolean {
    if (!this.open) return false;
    try {
      return this.channel!.sendMessage(data);
    } catch {
      return false;
    }
  }

  bufferedAmount(): number {
    try {
      return this.channel?.bufferedAmount() ?? 0;
    } catch {
      return 0;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.channel?.close();
    } catch {
      // already closed
    }
    this.pc.close();
  }
}

const meshes = new WeakMap<SessionClient, Mesh>();

/** Opens data channels from `client` to the room's other players; events go direct where a channel is open. */
export function attachMesh(client: SessionClient, options: NodeMeshOptions = {}): Mesh {
  const existing = meshes.get(client);
  if (existing) return existing;
  // The client's own list, or else the one the server hands out in its welcome (links open after the welcome).
  const iceServers = () => iceUrls(options.iceServers?.length ? options.iceServers : client.iceServersFromServer());
  const mesh = new Mesh(
    {
      selfId: () => client.state().id,
      players: () => client.state().players,
      signal: (to, body) => client.signal(to, body),
      deliver: (from, message) => client.receive(from, message, 'direct'),
      lastSeqOf: (from) => client.lastSeqOf(from),
      endNotes: (from) => client.endNotes(from),
      // MIDI system messages (SysEx, clock) go by the relay only, which applies the room's rule.
      allowSystem: () => false,
    },
    (peer, offerer, callbacks) => new NodeLink(`${client.state().id}->${peer}`, offerer, iceServers(), callbacks),
    options,
  );
  meshes.set(client, mesh);
  client.pairReports = () => pairReportsOf(mesh);
  client.on('welcome', () => mesh.update());
  client.on('presence', (message) => {
    if (message.what !== 'join') mesh.forget(message.player.id);
    mesh.update();
  });
  client.on('signal', (message) => {
    const { type, sdp, candidate, mid } = message;
    mesh.onSignal(message.from, {
      type,
      ...(sdp ? { sdp } : {}),
      ...(candidate ? { candidate } : {}),
      ...(mid ? { mid } : {}),
    });
  });
  client.on('sent', (message) => mesh.send(message));
  client.on('accepted', ({ from, path }) => mesh.noteAccepted(from, path));
  client.on('closed', () => mesh.close(false));
  client.beforeLeave(() => mesh.close(true));
  if (client.state().id) mesh.update();
  return mesh;
}

/** The mesh attached to a client, if any (for its pairs' stats). */
export function meshOf(client: SessionClient): Mesh | undefined {
  return meshes.get(client);
}
