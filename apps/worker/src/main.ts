import 'reflect-metadata';
import { bootstrapWorker } from './bootstrap.js';

bootstrapWorker().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
