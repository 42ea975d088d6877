import { ArgsType, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { EXPORT_ACTIVITIES_DEFAULT, EXPORT_ACTIVITIES_MAX } from '#libs/members';

@ArgsType()
export class ExportMemberDataArgs {
  @Field(() => ID, { description: "The member (UUID; a merged member's id names its survivor); malformed: BAD_USER_INPUT." })
  memberId: string;

  @Field(() => Int, {
    defaultValue: EXPORT_ACTIVITIES_DEFAULT,
    description: `Activities in this page of the document, 0–${EXPORT_ACTIVITIES_MAX} (oldest first); outside: BAD_USER_INPUT.`,
  })
  activitiesFirst: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the next activities (`activitiesNextCursor` of the previous page).' })
  activitiesAfter?: string | null;
}

@ArgsType()
export class RequestMemberDeletionArgs {
  @Field(() => ID, { description: 'The member whose personal data is deleted (UUID).' })
  memberId: string;

  @Field(() => String, {
    nullable: true,
    description:
      'A member deleting their own data repeats their GitHub login here (letter case aside; their member id when they have none); ' +
      'otherwise BAD_USER_INPUT. Admins need not.',
  })
  confirmLogin?: string | null;
}

@ObjectType('MemberDataExport', {
  description:
    'Everything Cambrian holds about a member (GDPR art. 15 and 20): profile, GitHub accounts, identities with their evidence, ' +
    'e-mail addresses, affiliations, stages and stage path, activities (summary and a page of the list), hackathon registrations, ' +
    'teams, submissions and scores received, digest preferences and sends, sign-in sessions, and the deletion record if any.',
})
export class MemberDataExportObject {
  @Field(() => String, {
    description: 'The document as JSON text (`format: "cambrian-member-export/1"`; instants are UTC ISO 8601; columns as stored, snake_case).',
  })
  json: string;

  @Field(() => String, { nullable: true, description: 'Cursor of the next page of activities (`activitiesAfter`); null after the last one.' })
  activitiesNextCursor: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Path of the whole document with every activity, as a JSON download (GET with the session cookie), when the viewer asks for their own data; null otherwise.",
  })
  downloadPath: string | null;
}

@ObjectType('MemberDeletion', {
  description:
    "The deletion of a member's personal data (GDPR art. 17): names, logins, avatars, e-mail addresses, identities, affiliations, preferences, " +
    "registrations' personal fields and sessions are removed; contributions stay as the anonymous \"Deleted member\" so totals keep their counts.",
})
export class MemberDeletionObject {
  @Field(() => ID, { description: 'The erased member (the anonymous placeholder now; the root of its merge chain).' })
  memberId: string;

  @Field(() => String, { description: 'Who asked: `member:<id>` (a signed-in person) or `api-token:<id>`.' })
  requestedBy: string;

  @Field(() => Date, { description: 'When it was asked (UTC).' })
  requestedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the data was removed (UTC); deletions run at once, in one transaction.' })
  completedAt: Date | null;

  @Field(() => Boolean, { description: 'True when the member had been erased before: nothing changed, this is the first record.' })
  alreadyDeleted: boolean;

  @Field(() => String, { description: 'Rows changed or removed, by kind, as a JSON object of counts (no personal data).' })
  removed: string;
}
