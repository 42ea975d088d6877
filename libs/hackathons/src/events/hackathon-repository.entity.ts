import { bigintTransformer } from '#libs/db';
import { Entity, PrimaryColumn } from 'typeorm';

/** A repository tracked explicitly by a hackathon (table `hackathon_repository`). */
@Entity('hackathon_repository')
export class HackathonRepositoryEntity {
  @PrimaryColumn({ name: 'hackathon_id', type: 'uuid' }) hackathonId: string;
  /** GitHub's numeric repository id. */
  @PrimaryColumn({ name: 'repository_id', type: 'bigint', transformer: bigintTransformer }) repositoryId: number;
}
