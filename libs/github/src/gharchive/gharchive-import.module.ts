import { Module } from '@nestjs/common';
import { StagesModule } from '#libs/members';
import { GharchiveImportService } from './gharchive-import.service.js';

/**
 * GH Archive backfill (`cambrian import gharchive`); needs the database module. Imported
 * activities get their members' stages evaluated (StagesModule: queued when the process has the
 * stages queue, else inline).
 */
@Module({ imports: [StagesModule], providers: [GharchiveImportService], exports: [GharchiveImportService] })
export class GharchiveImportModule {}
