import { Foundation1764400000000 } from './1764400000000-Foundation.js';

/** Every migration, oldest first. Add new ones at the end. */
export const migrations = [Foundation1764400000000];
