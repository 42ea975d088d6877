import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { DigestSendModule } from '#libs/digests';
import { DigestLinksController } from './digest-links.controller.js';
import { DigestSendMemberResolver, EmailPreferencesMemberResolver } from './digest-member.resolver.js';
import { DigestSendResolver } from './digest-send.resolver.js';

/** Largest multipart one-click body accepted (bytes): the form has one short field. */
const MULTIPART_BODY_LIMIT = 16 * 1024;

/**
 * Digest sending on the api: the unsubscribe and preferences routes (HTML, token in the query) and the
 * GraphQL ledger, preferences and run operations.
 */
@Module({
  imports: [DigestSendModule],
  controllers: [DigestLinksController],
  providers: [DigestSendResolver, DigestSendMemberResolver, EmailPreferencesMemberResolver],
})
export class DigestsSendApiModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** RFC 8058 lets the one-click POST be multipart/form-data: hand such bodies over as text (no files). */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser('multipart/form-data')) return;
    fastify.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: MULTIPART_BODY_LIMIT }, (_request, body, done) => done(null, body));
  }
}
