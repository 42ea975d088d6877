import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Where an event is: draft → registration_open → running → judging → finished, in that order. */
export type HackathonStatus = 'draft' | 'registration_open' | 'running' | 'judging' | 'finished';

/** The statuses in their only order. */
export const HACKATHON_STATUSES: readonly HackathonStatus[] = ['draft', 'registration_open', 'running', 'judging', 'finished'];

/**
 * One hackathon of an ecosystem (table `hackathon`, migration 1764700000000). The event window
 * is the half-open range `[startsAt, endsAt)` of UTC instants; with `anywhereOnEarth` it was
 * computed from `startDate`/`endDate` (calendar dates, `YYYY-MM-DD`).
 */
@Entity('hackathon')
export class HackathonEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'ecosystem_id', type: 'integer' }) ecosystemId: number;
  @Column({ type: 'text' }) slug: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text', default: '' }) description: string;
  @Column({ type: 'text', default: 'draft' }) status: HackathonStatus;
  @Column({ name: 'anywhere_on_earth', type: 'boolean', default: false }) anywhereOnEarth: boolean;
  /** Calendar date `YYYY-MM-DD` (pg returns `date` as a string). */
  @Column({ name: 'start_date', type: 'date', nullable: true }) startDate: string | null;
  @Column({ name: 'end_date', type: 'date', nullable: true }) endDate: string | null;
  @Column({ name: 'starts_at', type: 'timestamptz' }) startsAt: Date;
  @Column({ name: 'ends_at', type: 'timestamptz' }) endsAt: Date;
  @Column({ name: 'registration_opens_at', type: 'timestamptz', nullable: true }) registrationOpensAt: Date | null;
  @Column({ name: 'registration_closes_at', type: 'timestamptz', nullable: true }) registrationClosesAt: Date | null;
  @Column({ name: 'min_team_size', type: 'smallint', default: 1 }) minTeamSize: number;
  @Column({ name: 'max_team_size', type: 'smallint', default: 5 }) maxTeamSize: number;
  @Column({ name: 'opt_in_label', type: 'text', nullable: true }) optInLabel: string | null;
  @Column({ name: 'tracked_topic', type: 'text', nullable: true }) trackedTopic: string | null;
  @Column({ name: 'eligibility_frozen_at', type: 'timestamptz', nullable: true }) eligibilityFrozenAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', insert: false }) updatedAt: Date;
}
