import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A member of a team (table `team_member`); one team per member and hackathon (unique index). */
@Entity('team_member')
export class TeamMemberEntity {
  @PrimaryColumn({ name: 'team_id', type: 'uuid' }) teamId: string;
  @PrimaryColumn({ name: 'member_id', type: 'uuid' }) memberId: string;
  @Column({ name: 'hackathon_id', type: 'uuid' }) hackathonId: string;
  @Column({ name: 'joined_at', type: 'timestamptz', insert: false, update: false }) joinedAt: Date;
}
