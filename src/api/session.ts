/** Jam sessions: the server, the Node client and its WebRTC mesh, join links, the session clock, playout and the shared beat. */
export { startSessionServer, type SessionServer, type SessionServerOptions } from '../session/server.js';
export {
  joinSession,
  SessionClient,
  type JoinOptions,
  type ClientState,
  type ClientEvents,
  type ReconnectOptions,
} from '../session/client.js';
export { sessionSink, type SessionSinkOptions } from '../session/sink.js';
export { attachMesh, meshOf } from '../session/mesh/node.js';
export { parseIceServer, type Mesh, type MeshOptions, type PairStats } from '../session/mesh/core.js';
export { hearRoom, type HeardEvent, type HearOptions, type HearSummary } from '../session/listen.js';
export { makeToken, verifyToken, joinLink, type TokenClaims, type MakeTokenOptions } from '../session/token.js';
export { metronome, clickMessages, type MetronomeOptions } from '../session/metronome.js';
export { positionAt, nextBeat, changeTempo, type BeatPosition, type Click } from '../session/tempo.js';
export { PlayoutDelay, type PlayoutMode } from '../session/playout.js';
export {
  parseClientMessage,
  parseServerMessage,
  CloseCode,
  type SessionEvent,
  type Tempo,
  type PlayerInfo,
  type Role,
  type SyncMode,
  type ClientMessage,
  type ServerMessage,
} from '../session/protocol.js';
export { PROTOCOL_VERSION, MAX_MESSAGE_BYTES } from '../session/constants.js';
