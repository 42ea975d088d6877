import { Module } from '@nestjs/common';
import { DigestComposeModule } from '#libs/digests';
import { DigestPreviewResolver } from './digest-preview.resolver.js';

/** GraphQL of digest composing: the admin preview of any member's week, and ecosystems' digest defaults. */
@Module({
  imports: [DigestComposeModule],
  providers: [DigestPreviewResolver],
})
export class DigestPreviewApiModule {}
