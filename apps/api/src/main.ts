import 'reflect-metadata';
import { bootstrapApi } from './bootstrap.js';

bootstrapApi().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
