import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretsModule } from '#libs/secrets';
import { EcosystemModule } from '../ecosystem/ecosystem.module.js';
import { GithubCredentialEntity } from './github-credential.entity.js';
import { GithubCredentialService } from './github-credential.service.js';

/** GitHub credentials stored per ecosystem, encrypted (see {@link GithubCredentialService}). Needs DatabaseModule and ConfigModule. */
@Module({
  imports: [TypeOrmModule.forFeature([GithubCredentialEntity]), SecretsModule, EcosystemModule],
  providers: [GithubCredentialService],
  exports: [GithubCredentialService],
})
export class GithubCredentialsModule {}
