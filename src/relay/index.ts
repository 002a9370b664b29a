export { forwardUpgrade, type UpgradeResult, type WsConnection } from './ws.js';
export { forwardHttp, type HttpRelayResult } from './http.js';
export type { RelayLimits, RelayTarget } from './target.js';
