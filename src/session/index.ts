/** The jam session layer: protocol, clock sync, playout, tempo, tokens, the server and the Node client. */
export * from './protocol.js';
export { PROTOCOL_VERSION, MAX_MESSAGE_BYTES, HEARTBEAT_MS } from './constants.js';
export {
  syncSample,
  estimateClock,
  fastestSamples,
  median,
  quantile,
  ClockSync,
  type SyncSample,
  type ClockEstimate,
} from './clock.js';
export { PlayoutDelay, PlayoutScheduler, coveringDelay, AUTO_START_MS, type PlayoutMode } from './playout.js';
export {
  defaultTempo,
  beatLength,
  barLength,
  beatAt,
  positionAt,
  timeOfBeat,
  nextBeat,
  changeTempo,
  intervalDelay,
  type BeatPosition,
  type Click,
} from './tempo.js';
export {
  makeToken,
  verifyToken,
  joinLink,
  type TokenClaims,
  type TokenCheck,
  type TokenProblem,
  type MakeTokenOptions,
} from './token.js';
export { HistoryRing, type HistoryEntry } from './history.js';
export { TokenBucket, sanitizeName, idOf } from './limits.js';
export { Room, infoOf, type Member, type RoomOptions, type JoinRequest } from './room.js';
export {
  startSessionServer,
  roomPathOf,
  closeReason,
  type SessionServer,
  type SessionServerOptions,
} from './server.js';
export { metricsText, healthLine, type ServerCounts } from './metrics.js';
export {
  joinSession,
  SessionClient,
  backoff,
  type JoinOptions,
  type ClientState,
  type ClientEvents,
  type ReconnectOptions,
} from './client.js';
export { sessionSink, type SessionSinkOptions } from './sink.js';
export { HeldNotes, MADE_HERE } from './held.js';
export { metronome, clickMessages, type BeatSource, type MetronomeOptions } from './metronome.js';
export { hearRoom, playerName, onSessionClock, type HeardEvent, type HearOptions, type HearSummary } from './listen.js';
