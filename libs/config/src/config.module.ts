import { Global, Module } from '@nestjs/common';
import type { CambrianConfig } from './config.schema.js';
import { loadConfig } from './load-config.js';

/** Injection token of the validated {@link CambrianConfig}. */
export const CAMBRIAN_CONFIG = Symbol('CAMBRIAN_CONFIG');

/** Provides the validated configuration to every module; validation runs once at start-up. */
@Global()
@Module({
  providers: [{ provide: CAMBRIAN_CONFIG, useFactory: (): CambrianConfig => loadConfig() }],
  exports: [CAMBRIAN_CONFIG],
})
export class ConfigModule {}
