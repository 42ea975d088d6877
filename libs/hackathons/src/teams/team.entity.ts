import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A team of a hackathon (table `team`); its name is unique per hackathon case-insensitively. */
@Entity('team')
export class TeamEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'hackathon_id', type: 'uuid' }) hackathonId: string;
  @Column({ type: 'text' }) name: string;
  /** Unguessable, URL-safe; whoever holds it can join (while the team has room). */
  @Column({ name: 'invite_code', type: 'text' }) inviteCode: string;
  @Column({ name: 'captain_member_id', type: 'uuid', nullable: true }) captainMemberId: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', insert: false }) updatedAt: Date;
}
