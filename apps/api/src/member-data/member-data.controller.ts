import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Controller, Get, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SessionService } from '#libs/auth';
import { MemberDataExportService, type MemberExportDocument } from '#libs/members';
import { SESSION_COOKIE } from '../auth/auth-cookies.js';
import { rateLimited } from '../http/rate-limit.js';

/** Path of the signed-in member's whole export (see {@link MemberDataController}). */
export const MEMBER_EXPORT_PATH = '/me/export';

/** Activities read per page while streaming an export. */
const STREAM_PAGE = 1000;

/**
 * `GET /me/export`: the signed-in member's whole data export (every activity) as a JSON attachment
 * (`cambrian-member-<id>.json`), streamed page by page so a prolific member's export never sits in
 * memory whole. Needs the session cookie: without one 401 `UNAUTHENTICATED`; a revoked or expired
 * session 401 naming which. Under the `graphql` rate-limit budgets. Admins export any member
 * through the `exportMemberData` query.
 */
@Controller()
export class MemberDataController {
  constructor(
    private readonly sessions: SessionService,
    private readonly exports: MemberDataExportService,
  ) {}

  @Get(MEMBER_EXPORT_PATH.slice(1))
  @RouteConfig(rateLimited('graphql'))
  async exportOwn(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const secret = request.cookies?.[SESSION_COOKIE];
    if (!secret) return unauthenticated(reply, 'Exporting your data needs you signed in through GitHub at /auth/github');
    const check = await this.sessions.check(secret);
    if (check.kind === 'refused') return unauthenticated(reply, `The sign-in session is ${check.reason}; sign in again at /auth/github`);
    const { head, pages } = await this.exports.exportStreamed(check.session.memberId, STREAM_PAGE);
    return reply
      .code(200)
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="cambrian-member-${String(head.member.id)}.json"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(streamDocument(head, pages)));
  }
}

/** The document's JSON text in pieces: the head around `activities.items`, which is filled page by page. */
async function* streamDocument(head: MemberExportDocument, pages: AsyncIterable<Array<Record<string, unknown>>>): AsyncGenerator<string> {
  // a random placeholder no stored text can spell
  const placeholder = `items-${randomUUID()}`;
  const marker = JSON.stringify(placeholder);
  const text = JSON.stringify({ ...head, activities: { ...head.activities, items: placeholder } });
  const at = text.indexOf(marker);
  yield `${text.slice(0, at)}[`;
  let first = true;
  for await (const page of pages) {
    for (const item of page) {
      yield `${first ? '' : ','}${JSON.stringify(item)}`;
      first = false;
    }
  }
  yield `]${text.slice(at + marker.length)}`;
}

function unauthenticated(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(401).send({ statusCode: 401, error: 'UNAUTHENTICATED', message });
}
