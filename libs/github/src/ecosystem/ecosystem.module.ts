import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EcosystemEntity } from '../entities/ecosystem.entity.js';
import { RepositoryEntity } from '../entities/repository.entity.js';
import { TrackedSourceEntity } from '../entities/tracked-source.entity.js';
import { EcosystemService } from './ecosystem.service.js';

/** Ecosystems and their tracked organisations, users and repositories. */
@Module({
  imports: [TypeOrmModule.forFeature([EcosystemEntity, TrackedSourceEntity, RepositoryEntity])],
  providers: [EcosystemService],
  exports: [EcosystemService],
})
export class EcosystemModule {}
