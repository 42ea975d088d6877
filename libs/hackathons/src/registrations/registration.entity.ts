import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A member registered for a hackathon (table `hackathon_registration`): free tags (trimmed,
 * lower-case, unique), consent to e-mails; `withdrawnAt` set when the member withdrew.
 */
@Entity('hackathon_registration')
export class HackathonRegistrationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'hackathon_id', type: 'uuid' }) hackathonId: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId: string;
  @Column({ type: 'text', array: true, default: () => `'{}'` }) skills: string[];
  @Column({ type: 'text', array: true, default: () => `'{}'` }) interests: string[];
  @Column({ type: 'text', array: true, default: () => `'{}'` }) needs: string[];
  @Column({ name: 'email_consent', type: 'boolean', default: false }) emailConsent: boolean;
  @Column({ name: 'registered_at', type: 'timestamptz', insert: false }) registeredAt: Date;
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true }) withdrawnAt: Date | null;
}
