import { Module } from '@nestjs/common';
import { DigestComposeModule } from '#libs/digests';
import { AdminGuard } from '../../graphql/admin-only.decorator.js';
import { DigestPreviewResolver } from './digest-preview.resolver.js';

/** GraphQL of digest composing: the admin preview of any member's week, and ecosystems' digest defaults. */
@Module({
  imports: [DigestComposeModule],
  providers: [AdminGuard, DigestPreviewResolver],
})
export class DigestPreviewApiModule {}
