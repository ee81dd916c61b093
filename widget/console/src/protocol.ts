/**
 * The console's view of the realtime protocol: the server's typed event map (type-only import, so no
 * server code reaches the bundle).
 */
export type * from '../../../server/realtime/protocol.ts';
