import { Module } from '@nestjs/common';

/** /graphql (code-first, Apollo Server on Fastify). */
@Module({})
export class GraphqlApiModule {}
