import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { csrfTokenFor, SessionService } from '#libs/auth';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import type { CreatedMember } from './factories.js';

/** A signed-in member's session as a browser holds it: the cookie's secret and the CSRF token mutations carry. */
export interface SessionCredentials {
  secret: string;
  csrf: string;
}

/** Opens a one-hour member session for `member` (as GitHub sign-in would), without going through the sign-in flow. */
export async function openMemberSession(app: NestFastifyApplication, member: CreatedMember, login: string): Promise<SessionCredentials> {
  const { secret } = await app.get(SessionService, { strict: false }).create({
    memberId: member.memberId,
    githubAccountId: member.githubAccountId!,
    githubLogin: login,
    role: 'member',
    ttlSeconds: 3600,
  });
  return { secret, csrf: csrfTokenFor(secret, app.get<CambrianConfig>(CAMBRIAN_CONFIG, { strict: false }).AUTH_SECRET) };
}
