import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '#libs/db';

/** An issue (never a pull request: those live in `pull_request`), unique by (repository, number). */
@Entity('issue')
export class IssueEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintTransformer }) id: number;
  @Column({ name: 'repository_id', type: 'bigint', transformer: bigintTransformer }) repositoryId: number;
  @Column({ type: 'integer' }) number: number;
  @Column({ type: 'text', default: '' }) title: string;
  @Column({ type: 'text' }) state: 'open' | 'closed';
  @Column({ name: 'author_account_id', type: 'bigint', nullable: true, transformer: bigintTransformer })
  authorAccountId: number | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) labels: string[];
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt: Date | null;
}
