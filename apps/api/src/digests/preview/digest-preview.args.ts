import { ArgsType, Field, ID } from '@nestjs/graphql';

@ArgsType()
export class DigestPreviewArgs {
  @Field(() => ID, { description: 'The member (member.id, a UUID). NOT_FOUND when unknown.' })
  member: string;

  @Field(() => String, { description: 'ISO 8601 week, YYYY-Www (e.g. 2026-W48). BAD_USER_INPUT when malformed or the year has no such week.' })
  week: string;

  @Field(() => String, { nullable: true, description: "Language: en or zh-CN; the member's ecosystem default when absent. BAD_USER_INPUT otherwise." })
  locale?: string | null;

  @Field(() => String, { nullable: true, description: "IANA time zone (e.g. Asia/Shanghai); the member's ecosystem default when absent. BAD_USER_INPUT when unknown." })
  timeZone?: string | null;
}

@ArgsType()
export class SetEcosystemDigestDefaultsArgs {
  @Field(() => String, { description: 'Ecosystem slug. NOT_FOUND when unknown.' })
  ecosystem: string;

  @Field(() => String, { nullable: true, description: 'Default language: en or zh-CN; unchanged when absent.' })
  locale?: string | null;

  @Field(() => String, { nullable: true, description: 'Default IANA time zone; unchanged when absent.' })
  timeZone?: string | null;
}
