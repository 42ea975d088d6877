import { Foundation1764400000000 } from './1764400000000-Foundation.js';
import { TrackedSourceDiscovery1764480000000 } from './1764480000000-TrackedSourceDiscovery.js';
import { WebhookPayloadCompression1764490000000 } from './1764490000000-WebhookPayloadCompression.js';
import { WebhookPayloadJson1764495000000 } from './1764495000000-WebhookPayloadJson.js';
import { SyncResources1764510000000 } from './1764510000000-SyncResources.js';
import { SyncGap1764520000000 } from './1764520000000-SyncGap.js';
import { IdentityMerges1764600000000 } from './1764600000000-IdentityMerges.js';
import { ActivityRollup1764630000000 } from './1764630000000-ActivityRollup.js';
import { Organizations1764610000000 } from './1764610000000-Organizations.js';
import { Stages1764620000000 } from './1764620000000-Stages.js';
import { StagesDaily1764620000001 } from './1764620000001-StagesDaily.js';
import { StageCells1764620000002 } from './1764620000002-StageCells.js';
import { LeaderboardVersion1764630000001 } from './1764630000001-LeaderboardVersion.js';
import { ActivityMemberMonthly1764640000000 } from './1764640000000-ActivityMemberMonthly.js';
import { StageCellEventIndex1764640000001 } from './1764640000001-StageCellEventIndex.js';
import { PullRequestDetails1764530000000 } from './1764530000000-PullRequestDetails.js';
import { Hackathons1764700000000 } from './1764700000000-Hackathons.js';
import { HackathonContributions1764700000010 } from './1764700000010-HackathonContributions.js';
import { Judging1764700000020 } from './1764700000020-Judging.js';
import { HackathonMemberRoot1764700000001 } from './1764700000001-HackathonMemberRoot.js';
import { HackathonMatching1764700000030 } from './1764700000030-HackathonMatching.js';
import { DigestSend1764800000000 } from './1764800000000-DigestSend.js';
import { DigestEcosystemDefaults1764800000010 } from './1764800000010-DigestEcosystemDefaults.js';
import { SignInSessions1764800000040 } from './1764800000040-SignInSessions.js';
import { AccessGrants1764900000000 } from './1764900000000-AccessGrants.js';
import { AuditEvents1764900000010 } from './1764900000010-AuditEvents.js';
import { GithubCredentials1764900000020 } from './1764900000020-GithubCredentials.js';
import { MemberErasure1764900000030 } from './1764900000030-MemberErasure.js';
import { ErasureLookups1764900000040 } from './1764900000040-ErasureLookups.js';
import { StageEvaluationOutbox1764900000050 } from './1764900000050-StageEvaluationOutbox.js';
import { LeaderboardBoundCovering1764900000070 } from './1764900000070-LeaderboardBoundCovering.js';
import { ErasureScopes1764900000100 } from './1764900000100-ErasureScopes.js';
import { GithubProfiles1764900000130 } from './1764900000130-GithubProfiles.js';
import { ErasureKeySealed1764900000160 } from './1764900000160-ErasureKeySealed.js';
import { WebhookSecretScope1764900000150 } from './1764900000150-WebhookSecretScope.js';
import { RepositoryStateObservedAt1764900000180 } from './1764900000180-RepositoryStateObservedAt.js';
import { StageVersion1764900000190 } from './1764900000190-StageVersion.js';
import { VersionCounterShards1764900000200 } from './1764900000200-VersionCounterShards.js';

/** Every migration, oldest first. Add new ones at the end. */
export const migrations = [
  Foundation1764400000000,
  TrackedSourceDiscovery1764480000000,
  WebhookPayloadCompression1764490000000,
  WebhookPayloadJson1764495000000,
  SyncResources1764510000000,
  SyncGap1764520000000,
  IdentityMerges1764600000000,
  Organizations1764610000000,
  Stages1764620000000,
  ActivityRollup1764630000000,
  PullRequestDetails1764530000000,
  StagesDaily1764620000001,
  StageCells1764620000002,
  LeaderboardVersion1764630000001,
  Hackathons1764700000000,
  HackathonContributions1764700000010,
  Judging1764700000020,
  HackathonMemberRoot1764700000001,
  HackathonMatching1764700000030,
  ActivityMemberMonthly1764640000000,
  StageCellEventIndex1764640000001,
  DigestSend1764800000000,
  DigestEcosystemDefaults1764800000010,
  SignInSessions1764800000040,
  AccessGrants1764900000000,
  AuditEvents1764900000010,
  GithubCredentials1764900000020,
  MemberErasure1764900000030,
  ErasureLookups1764900000040,
  StageEvaluationOutbox1764900000050,
  LeaderboardBoundCovering1764900000070,
  ErasureScopes1764900000100,
  GithubProfiles1764900000130,
  WebhookSecretScope1764900000150,
  ErasureKeySealed1764900000160,
  RepositoryStateObservedAt1764900000180,
  StageVersion1764900000190,
  VersionCounterShards1764900000200,
];
