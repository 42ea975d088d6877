import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { EntityManager } from 'typeorm';
import { IdentityService, type MemberKind } from '#libs/members';
import { badInput, notFound } from './hackathon.exception.js';
import { memberRootSql } from './member-root.js';

/** A member taking part in a hackathon, resolved through merges. */
export interface Participant {
  /** The member id (the survivor when the member named was merged into another). */
  memberId: string;
  kind: MemberKind;
  login: string | null;
}

const uuid = z.uuid();

/**
 * Finds the member a hackathon request names: a member id (UUID) or a GitHub login, compared
 * case-insensitively and resolved to the account that holds it now
 * ({@link IdentityService.resolveLogin}); a member merged into another stands for the survivor.
 * Bots and the deleted-user sentinel never take part.
 */
@Injectable()
export class ParticipantService {
  constructor(private readonly identities: IdentityService) {}

  /**
   * @param member a member id or a GitHub login (optionally `@`-prefixed).
   * @throws HackathonException BAD_USER_INPUT (not a login GitHub could issue; a bot; the deleted-user
   *   sentinel), NOT_FOUND (no such member; no known account holds the login).
   */
  async resolve(manager: EntityManager, member: string): Promise<Participant> {
    const ref = member.trim();
    let memberId: string;
    if (uuid.safeParse(ref).success) {
      memberId = ref.toLowerCase();
    } else {
      let holder;
      try {
        holder = await this.identities.resolveLogin(ref);
      } catch (error) {
        throw badInput((error as Error).message);
      }
      if (!holder?.memberId) throw notFound(`No member with GitHub login "${ref}" is known to Cambrian`);
      memberId = holder.memberId;
    }
    const rows: Array<{ id: string; kind: MemberKind; login: string | null }> = await manager.query(
      `SELECT m.id, m.kind, m.login FROM member m WHERE m.id = ${memberRootSql('$1::uuid')}`,
      [memberId],
    );
    if (!rows.length) throw notFound(`No member ${memberId}`);
    const [found] = rows;
    if (found.kind === 'bot') throw badInput(`${found.login ?? found.id} is a bot: bots cannot take part in a hackathon`);
    if (found.kind === 'deleted') throw badInput('The deleted-user sentinel stands for deleted accounts and cannot take part in a hackathon');
    return { memberId: found.id, kind: found.kind, login: found.login };
  }
}

/** How a participant is named in messages: `@login`, else `Member <id>`. */
export function participantName(participant: Participant): string {
  return participant.login ? `@${participant.login}` : `Member ${participant.memberId}`;
}
