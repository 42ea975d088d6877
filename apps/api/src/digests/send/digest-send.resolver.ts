import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { assertWeekEnded, DigestLedgerService, DigestPlannerService, EmailPreferenceService, UnsubscribeListService } from '#libs/digests';
import { AdminOnly } from '../../graphql/admin-only.decorator.js';
import {
  DigestRunObject,
  DigestSendConnectionObject,
  DigestSendsArgs,
  DigestUnsubscribesArgs,
  MemberEmailPreferencesConnectionObject,
  MemberEmailPreferencesObject,
  MemberIdArgs,
  SetMemberEmailPreferencesArgs,
  StartDigestRunArgs,
} from './digest-send.types.js';
import { Access, AccessRules } from '../../graphql/access/access.decorator.js';

/** Digest sending for the console: the send ledger, members' e-mail preferences, starting a run. Admin-only. */
@Resolver()
export class DigestSendResolver {
  constructor(
    private readonly ledger: DigestLedgerService,
    private readonly planner: DigestPlannerService,
    private readonly preferences: EmailPreferenceService,
    private readonly unsubscribes: UnsubscribeListService,
  ) {}

  @AdminOnly()
  @Query(() => DigestSendConnectionObject, {
    description: 'The digest send ledger, newest row first, filtered by week, status or member. Admin token needed. Errors: BAD_USER_INPUT.',
  })
  async digestSends(@Args() args: DigestSendsArgs): Promise<DigestSendConnectionObject> {
    const page = await this.ledger.list({ week: args.week, status: args.status, memberId: args.memberId }, args.first, args.after);
    return {
      edges: page.items.map((item) => ({ cursor: item.cursor, node: item.record as DigestSendConnectionObject['edges'][number]['node'] })),
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: Boolean(args.after),
        startCursor: page.items[0]?.cursor ?? null,
        endCursor: page.items.at(-1)?.cursor ?? null,
      },
    };
  }

  @AdminOnly()
  @Query(() => MemberEmailPreferencesConnectionObject, {
    description:
      'Members who unsubscribed from the weekly digest (one-click or the preferences page) and have not opted in again, latest ' +
      'unsubscribe first: their e-mail preferences as they apply (through merges, one row per member). Admin token or session needed. ' +
      'Errors: BAD_USER_INPUT (`first` outside 1–500, a foreign cursor).',
  })
  async digestUnsubscribes(@Args() args: DigestUnsubscribesArgs): Promise<MemberEmailPreferencesConnectionObject> {
    const page = await this.unsubscribes.list(args.first, args.after);
    return {
      totalCount: page.totalCount,
      edges: page.items.map((item) => ({ cursor: item.cursor, node: item.preferences })),
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: Boolean(args.after),
        startCursor: page.items[0]?.cursor ?? null,
        endCursor: page.items.at(-1)?.cursor ?? null,
      },
    };
  }

  @Access(AccessRules.self((args) => args.memberId))
  @Query(() => MemberEmailPreferencesObject, {
    nullable: true,
    description: "A member's e-mail preferences (through merges), or null when the member has none. The member themself (signed in) or an admin: UNAUTHENTICATED without credentials, FORBIDDEN otherwise.",
  })
  memberEmailPreferences(@Args() { memberId }: MemberIdArgs) {
    return this.preferences.get(memberId);
  }

  @Access(AccessRules.self((args) => args.memberId))
  @Mutation(() => MemberEmailPreferencesObject, {
    description:
      "Creates or changes a member's e-mail preferences (on the survivor of merges). The member themself (signed in) or an admin: " +
      'UNAUTHENTICATED without credentials, FORBIDDEN otherwise. ' +
      'Errors: NOT_FOUND (member), BAD_USER_INPUT (address, time zone, locale; no address known for a new row).',
  })
  setMemberEmailPreferences(@Args() { memberId, input }: SetMemberEmailPreferencesArgs) {
    return this.preferences.set(memberId, {
      email: input.email ?? undefined,
      digestOptIn: input.digestOptIn ?? undefined,
      locale: input.locale === undefined ? undefined : input.locale,
      timeZone: input.timeZone ?? undefined,
    });
  }

  @AdminOnly()
  @Mutation(() => DigestRunObject, {
    description:
      "Starts the digests of one ISO week now, whatever the members' local time: queues one job per opted-in member with no " +
      'ledger row for that week (each job takes its row first, so a second run or the hourly schedule sends nobody twice). ' +
      'The week must have ended on every clock (local Monday 00:00 of the next week in UTC−12): a digest of a week still going on would be partial and take the week. ' +
      'Admin token needed. Errors: BAD_USER_INPUT (week malformed or not ended).',
  })
  async startDigestRun(@Args() { week }: StartDigestRunArgs): Promise<DigestRunObject> {
    assertWeekEnded(week, new Date());
    const plan = await this.planner.planWeek(week);
    return { week, members: plan.queued };
  }
}
