import { Module } from '@nestjs/common';
import { GharchiveImportService } from './gharchive-import.service.js';

/** GH Archive backfill (`cambrian import gharchive`); needs the database module. */
@Module({ providers: [GharchiveImportService], exports: [GharchiveImportService] })
export class GharchiveImportModule {}
