import { Module } from '@nestjs/common';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { SecretBox } from './secret-box.js';
import { buildSecretKeyring } from './secret-keyring.js';

/** Provides the process's {@link SecretBox}, its keys read from CAMBRIAN_SECRETS_KEY and CAMBRIAN_SECRETS_OLD_KEYS. */
@Module({
  providers: [{ provide: SecretBox, inject: [CAMBRIAN_CONFIG], useFactory: (config: CambrianConfig) => new SecretBox(buildSecretKeyring(config)) }],
  exports: [SecretBox],
})
export class SecretsModule {}
