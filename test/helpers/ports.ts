/** The product's own: a TCP port that was free a moment ago (the OS picked it). */
export { freePort } from '../../src/session/free-port.js';
