import { bigintTransformer } from '#libs/db';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A team's submission (table `submission`): one per team. */
@Entity('submission')
export class SubmissionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'hackathon_id', type: 'uuid' }) hackathonId: string;
  @Column({ name: 'team_id', type: 'uuid' }) teamId: string;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text', default: '' }) description: string;
  /** Normalised `https://github.com/owner/name`. */
  @Column({ name: 'repository_url', type: 'text', nullable: true }) repositoryUrl: string | null;
  /** The repository row when Cambrian knows the repository (GitHub's numeric id). */
  @Column({ name: 'repository_id', type: 'bigint', nullable: true, transformer: bigintTransformer }) repositoryId: number | null;
  @Column({ type: 'text', array: true, default: () => `'{}'` }) links: string[];
  @Column({ name: 'submitted_at', type: 'timestamptz', insert: false, update: false }) submittedAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', insert: false }) updatedAt: Date;
}
