import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A named set of tracked GitHub organisations, users and repositories. */
@Entity('ecosystem')
export class EcosystemEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'text', unique: true }) slug: string;
  @Column({ type: 'text' }) name: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
