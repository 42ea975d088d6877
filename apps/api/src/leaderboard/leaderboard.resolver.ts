import { Args, Query, Resolver } from '@nestjs/graphql';
import { LeaderboardService } from '#libs/members';
import { LeaderboardArgs } from './leaderboard.args.js';
import { LeaderboardObject } from './leaderboard.type.js';
import { Access } from '../graphql/access/access.decorator.js';

@Resolver(() => LeaderboardObject)
export class LeaderboardResolver {
  constructor(private readonly leaderboards: LeaderboardService) {}

  @Access.public()
  @Query(() => LeaderboardObject, {
    description:
      'Top members of a window by weighted activity (weights configurable). Errors: BAD_USER_INPUT (first outside ' +
      '1–100, a weight outside 0–100, a preset together with bounds, since not before until, a malformed repository), ' +
      'NOT_FOUND (unknown repository).',
  })
  leaderboard(@Args() args: LeaderboardArgs) {
    return this.leaderboards.leaderboard(args);
  }
}
