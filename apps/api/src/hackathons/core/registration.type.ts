import { Field, ID, ObjectType } from '@nestjs/graphql';
import { MemberObject } from '../../members/member.type.js';

@ObjectType('HackathonRegistration', { description: "A member's registration for a hackathon." })
export class HackathonRegistrationType {
  @Field(() => ID, { description: 'Stable id (UUID).' })
  id: string;

  @Field(() => ID, { description: 'Id of the hackathon.' })
  hackathonId: string;

  /** Member id, resolved through merges (the surviving member). */
  memberId: string;

  @Field(() => MemberObject, { description: 'The registered member (the surviving member when this one was merged).' })
  member?: MemberObject;

  /** Personal: resolved for admins only (HackathonRegistrationResolver). */
  skills: string[];

  /** Personal: resolved for admins only (HackathonRegistrationResolver). */
  interests: string[];

  /** Personal: resolved for admins only (HackathonRegistrationResolver). */
  needs: string[];

  /** Personal: resolved for admins only (HackathonRegistrationResolver). */
  emailConsent: boolean;

  @Field({ description: 'When the member registered (UTC instant).' })
  registeredAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the member withdrew (UTC instant); null while registered.' })
  withdrawnAt: Date | null;
}
