import { Module } from '@nestjs/common';
import { JudgingModule } from '#libs/hackathons';
import { StagesModule } from '#libs/members';
import { DigestComposerService } from './compose/digest-composer.service.js';
import { DigestContentLoader } from './compose/digest-content.loader.js';
import { DigestDefaultsService } from './compose/digest-defaults.js';
import { DIGEST_COMPOSER } from './digest.types.js';

/** Composing weekly digests: provides {@link DIGEST_COMPOSER} (and the composer and defaults services). Needs the DatabaseModule. */
@Module({
  imports: [StagesModule, JudgingModule],
  providers: [DigestContentLoader, DigestComposerService, DigestDefaultsService, { provide: DIGEST_COMPOSER, useExisting: DigestComposerService }],
  exports: [DIGEST_COMPOSER, DigestComposerService, DigestDefaultsService, DigestContentLoader],
})
export class DigestComposeModule {}
