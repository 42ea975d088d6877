import { Field, ID, ObjectType } from '@nestjs/graphql';

/** A member's weekly digest as it would be sent (console preview). */
@ObjectType('DigestPreview', { description: "A member's weekly digest for one ISO week, rendered as it would be sent, or why there is none." })
export class DigestPreviewObject {
  @Field(() => ID, { description: 'The member (member.id).' })
  member: string;

  @Field(() => String, { description: 'The ISO 8601 week, YYYY-Www.' })
  week: string;

  @Field(() => String, { description: 'Language of the digest: en or zh-CN (the one asked, else the ecosystem default).' })
  locale: string;

  @Field(() => String, { description: 'IANA time zone the week is cut in and dates are shown in (the one asked, else the ecosystem default).' })
  timeZone: string;

  @Field(() => Date, { description: 'Start of the week: local Monday 00:00 as a UTC instant.' })
  weekStart: Date;

  @Field(() => Date, { description: 'End of the week (exclusive): the next local Monday 00:00 as a UTC instant.' })
  weekEnd: Date;

  @Field(() => Boolean, { description: 'False when the member gets no digest this week (see emptyReason).' })
  hasDigest: boolean;

  @Field(() => String, { nullable: true, description: 'Subject line; null without a digest.' })
  subject: string | null;

  @Field(() => String, { nullable: true, description: 'The HTML part (MJML-rendered, responsive); null without a digest. Footer links point to a preview host.' })
  html: string | null;

  @Field(() => String, { nullable: true, description: 'The plain-text part; null without a digest.' })
  text: string | null;

  @Field(() => String, { nullable: true, description: 'Why the member gets no digest this week (as the send log records it); null when there is one.' })
  emptyReason: string | null;
}

/** An ecosystem's digest defaults. */
@ObjectType('EcosystemDigestDefaults', { description: "An ecosystem's defaults for members who chose no digest language or time zone." })
export class EcosystemDigestDefaultsObject {
  @Field(() => String, { description: 'Ecosystem slug.' })
  ecosystem: string;

  @Field(() => String, { description: 'Default digest language: en or zh-CN.' })
  locale: string;

  @Field(() => String, { description: 'Default IANA time zone of digests (weeks and dates).' })
  timeZone: string;
}
