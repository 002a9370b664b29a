/** The rollouts analyzer parses durations exactly like the gateway's config. */
export { parseDuration } from '../../config/duration.js';
