import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfoObject } from '../../graphql/page-info.type.js';
import { Access } from '../../graphql/access/access.decorator.js';

export enum DigestSendStatusEnum {
  PENDING = 'pending',
  SENDING = 'sending',
  SENT = 'sent',
  EMPTY = 'empty',
  SKIPPED = 'skipped',
  BOUNCED = 'bounced',
  FAILED = 'failed',
  UNCERTAIN = 'uncertain',
}

registerEnumType(DigestSendStatusEnum, {
  name: 'DigestSendStatus',
  description: 'Where one member\'s digest of one ISO week stands in the send ledger (one row per member and week).',
  valuesMap: {
    PENDING: { description: 'Taken, not handed to SMTP yet (waiting for its job, or for a retry after a 4xx).' },
    SENDING: { description: 'Handed to SMTP; the reply not recorded yet.' },
    SENT: { description: 'Accepted by the SMTP server (or written to the file outbox).' },
    EMPTY: { description: 'Nothing to say this week: nothing sent; `reason` says why.' },
    SKIPPED: { description: 'Not sent: the member had unsubscribed, opted out or bounced by the time the job ran (`reason`).' },
    BOUNCED: { description: 'The server refused the address with a 5xx reply (`smtpReply`); the address gets nothing more until it changes.' },
    FAILED: { description: 'Every attempt failed (4xx replies, connection errors); `lastError` has the last.' },
    UNCERTAIN: {
      description: 'Interrupted inside the SMTP transaction after the message was handed over: it may have been delivered, so it is not resent.',
    },
  },
});

@ObjectType('DigestSend', { description: "One row of the digest send ledger: one member's digest of one ISO week." })
export class DigestSendObject {
  @Field(() => ID, { description: 'Ledger row id.' }) id: string;
  @Field(() => ID, { description: 'The member the digest is for (the survivor of merges when the row was taken).' }) memberId: string;
  @Field({ description: 'ISO 8601 week, `YYYY-Www`, read in the member\'s time zone.' }) week: string;
  @Field(() => DigestSendStatusEnum, { description: 'Where the digest stands.' }) status: DigestSendStatusEnum;
  @Access.asParent('Query.digestSends (admins)')
  @Field(() => String, { nullable: true, description: 'The address it was handed to SMTP for; null before that.' }) email: string | null;
  @Field({ description: 'The Message-ID (fixed when the row was taken, kept across retries).' }) messageId: string;
  @Field(() => Int, { description: 'Attempts the job started (composing and sending).' }) attempts: number;
  @Field(() => String, { nullable: true, description: 'The last error (SMTP reply or composing error).' }) lastError: string | null;
  @Access.asParent('Query.digestSends (admins)')
  @Field(() => String, { nullable: true, description: 'Why nothing was sent (EMPTY, SKIPPED).' }) reason: string | null;
  @Field(() => String, { nullable: true, description: "The SMTP server's last reply, e.g. `250 OK` or `550 5.1.1 no such user`." })
  smtpReply: string | null;
  @Field({ description: 'When the row was taken (UTC instant).' }) createdAt: Date;
  @Field({ description: 'Last change (UTC instant).' }) updatedAt: Date;
  @Field(() => Date, { nullable: true, description: 'When the server accepted it (UTC instant); null unless SENT.' }) sentAt: Date | null;
}

@ObjectType('DigestSendEdge', { description: 'A ledger row in a connection.' })
export class DigestSendEdgeObject {
  @Field({ description: 'Opaque cursor: pass as `after` for the rows after this one.' }) cursor: string;
  @Field(() => DigestSendObject, { description: 'The ledger row.' }) node: DigestSendObject;
}

@ObjectType('DigestSendConnection', { description: 'A page of the digest send ledger, newest row first.' })
export class DigestSendConnectionObject {
  @Field(() => [DigestSendEdgeObject], { description: 'The rows of this page, newest first.' }) edges: DigestSendEdgeObject[];
  @Field(() => PageInfoObject, { description: 'Paging state.' }) pageInfo: PageInfoObject;
}

@ArgsType()
export class DigestSendsArgs {
  @Field(() => Int, { defaultValue: 50, description: 'Page size, 1–500; outside: BAD_USER_INPUT.' }) first: number;
  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page (`pageInfo.endCursor`).' }) after?: string | null;
  @Field(() => String, { nullable: true, description: 'Only this ISO week, `YYYY-Www` (malformed: BAD_USER_INPUT).' }) week?: string | null;
  @Field(() => DigestSendStatusEnum, { nullable: true, description: 'Only rows in this status.' }) status?: DigestSendStatusEnum | null;
  @Field(() => ID, { nullable: true, description: 'Only this member\'s rows (member id as stored).' }) memberId?: string | null;
}

@ObjectType('MemberEmailPreferences', { description: "A member's e-mail preferences for weekly digests (read through merges)." })
export class MemberEmailPreferencesObject {
  @Field(() => ID, { description: 'The member they apply to (the survivor of any merge).' }) memberId: string;
  @Field(() => ID, { description: 'The member the row is stored under (a merged member, when the survivor has no row of its own).' })
  storedMemberId: string;
  @Access.asParent('Query.memberEmailPreferences and Mutation.setMemberEmailPreferences (the member themself, admins)')
  @Field({ description: 'The address digests go to.' }) email: string;
  @Field({ description: 'Whether the member receives the weekly digest.' }) digestOptIn: boolean;
  @Field(() => String, { nullable: true, description: "`en` or `zh-CN`; null: the default of the member's ecosystem." }) locale: string | null;
  @Field({ description: 'IANA time zone: the member\'s week and Monday 09:00 are read in it.' }) timeZone: string;
  @Field(() => Date, { nullable: true, description: 'When the member unsubscribed (one-click or the preferences page); null if never or opted in since.' })
  unsubscribedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the address bounced (an SMTP 5xx); null when it has not.' }) bouncedAt: Date | null;
  @Field(() => String, { nullable: true, description: "The server's reply of the bounce." }) bounceReply: string | null;
  @Field({ description: 'Last change (UTC instant).' }) updatedAt: Date;
}

@InputType('MemberEmailPreferencesInput', { description: 'Changes to a member\'s e-mail preferences; omitted fields stay. Invalid values: BAD_USER_INPUT naming them.' })
export class MemberEmailPreferencesInput {
  @Field(() => String, {
    nullable: true,
    description: 'The address (a new one clears a bounce). For a member without preferences, default: the latest commit e-mail that is not a GitHub noreply address.',
  })
  email?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Receive the weekly digest (true clears an unsubscribe).' }) digestOptIn?: boolean | null;
  @Field(() => String, { nullable: true, description: '`en` or `zh-CN`; an empty string: the ecosystem\'s default.' }) locale?: string | null;
  @Field(() => String, { nullable: true, description: 'IANA time zone, e.g. `Asia/Shanghai` (default for a new row: UTC).' }) timeZone?: string | null;
}

@ArgsType()
export class MemberIdArgs {
  @Field(() => ID, { description: 'The member (UUID); a merged member stands for the survivor. Unknown: NOT_FOUND.' }) memberId: string;
}

@ArgsType()
export class SetMemberEmailPreferencesArgs extends MemberIdArgs {
  @Field(() => MemberEmailPreferencesInput, { description: 'The changes.' }) input: MemberEmailPreferencesInput;
}

@ArgsType()
export class StartDigestRunArgs {
  @Field({ description: 'The ISO week to send, `YYYY-Www` (malformed: BAD_USER_INPUT).' }) week: string;
}

@ObjectType('DigestRun', { description: 'What starting a digest run queued.' })
export class DigestRunObject {
  @Field({ description: 'The ISO week.' }) week: string;
  @Field(() => Int, { description: 'Members whose digest job was queued (opted in, not bounced, no ledger row for the week yet).' })
  members: number;
}

@ObjectType('MemberEmailPreferencesEdge', { description: "A member's e-mail preferences in a connection." })
export class MemberEmailPreferencesEdgeObject {
  @Field({ description: 'Opaque cursor: pass as `after` for the rows after this one.' }) cursor: string;
  @Field(() => MemberEmailPreferencesObject, { description: 'The preferences (as they apply to the member, through merges).' })
  node: MemberEmailPreferencesObject;
}

@ObjectType('MemberEmailPreferencesConnection', { description: "A page of members' e-mail preferences." })
export class MemberEmailPreferencesConnectionObject {
  @Field(() => Int, { description: 'Rows in all pages.' }) totalCount: number;
  @Field(() => [MemberEmailPreferencesEdgeObject], { description: 'The rows of this page.' }) edges: MemberEmailPreferencesEdgeObject[];
  @Field(() => PageInfoObject, { description: 'Paging state.' }) pageInfo: PageInfoObject;
}

@ArgsType()
export class DigestUnsubscribesArgs {
  @Field(() => Int, { defaultValue: 50, description: 'Page size, 1–500; outside: BAD_USER_INPUT.' }) first: number;
  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page (`pageInfo.endCursor`).' }) after?: string | null;
}
