/** The browser module: a session client with the WebRTC mesh. `dist/web/jam-web.js` (ES module) is built from it. */
export { BrowserSession, joinSession, type BrowserJoinOptions } from './session.js';
export { parseIceServer, type PairStats } from '../session/mesh/core.js';
