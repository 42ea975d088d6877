import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { assertTimeZone, DigestComposerService, DigestDefaultsService, DigestException, DigestExceptionCode, parseDigestLocale, weekBounds } from '#libs/digests';
import { AdminOnly } from '../../graphql/admin-only.decorator.js';
import { DigestPreviewArgs, SetEcosystemDigestDefaultsArgs } from './digest-preview.args.js';
import { DigestPreviewObject, EcosystemDigestDefaultsObject } from './digest-preview.type.js';
import { Access } from '../../graphql/access/access.decorator.js';

/** Footer links of a preview: the sent digest carries the member's own signed links instead. */
const PREVIEW_LINKS = { unsubscribeUrl: 'https://preview.cambrian.invalid/unsubscribe', preferencesUrl: 'https://preview.cambrian.invalid/preferences' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Resolver()
export class DigestPreviewResolver {
  constructor(
    private readonly composer: DigestComposerService,
    private readonly defaults: DigestDefaultsService,
  ) {}

  @AdminOnly()
  @Query(() => DigestPreviewObject, {
    description:
      "Any member's weekly digest for any ISO week, composed and rendered as it would be sent (subject, HTML, text), or the reason " +
      'there is none. Needs an admin API token: UNAUTHENTICATED without one, FORBIDDEN with another role. Errors: BAD_USER_INPUT ' +
      '(malformed week, member id, locale or time zone), NOT_FOUND (unknown member).',
  })
  async digestPreview(@Args() args: DigestPreviewArgs): Promise<DigestPreviewObject> {
    if (!UUID.test(args.member)) throw new DigestException(`"${args.member}" is not a member id (a UUID)`, DigestExceptionCode.BAD_USER_INPUT);
    const fallback = (await this.defaults.forMembers([args.member])).get(args.member)!;
    const locale = args.locale != null ? parseDigestLocale(args.locale) : fallback.locale;
    const timeZone = assertTimeZone(args.timeZone ?? fallback.timeZone);
    const composed = await this.composer.compose({ memberId: args.member, email: '', locale, timeZone }, args.week, PREVIEW_LINKS);
    const { start, end } = weekBounds(args.week, timeZone);
    const base = { member: args.member, week: args.week, locale, timeZone, weekStart: start, weekEnd: end };
    return composed.kind === 'digest'
      ? { ...base, hasDigest: true, ...composed.rendered, emptyReason: null }
      : { ...base, hasDigest: false, subject: null, html: null, text: null, emptyReason: composed.reason };
  }

  @Access.public()
  @Query(() => EcosystemDigestDefaultsObject, { description: "An ecosystem's digest defaults. Errors: NOT_FOUND (unknown ecosystem)." })
  ecosystemDigestDefaults(@Args('ecosystem', { type: () => String, description: 'Ecosystem slug.' }) ecosystem: string) {
    return this.defaults.forEcosystem(ecosystem);
  }

  @AdminOnly()
  @Mutation(() => EcosystemDigestDefaultsObject, {
    description:
      "Sets an ecosystem's digest defaults (language, time zone) for members who chose none; fields absent stay. Needs an admin API " +
      'token. Errors: BAD_USER_INPUT (locale not en or zh-CN, unknown time zone), NOT_FOUND (unknown ecosystem).',
  })
  setEcosystemDigestDefaults(@Args() args: SetEcosystemDigestDefaultsArgs) {
    return this.defaults.setForEcosystem(args.ecosystem, { locale: args.locale, timeZone: args.timeZone });
  }
}
