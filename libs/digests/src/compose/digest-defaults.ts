import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DigestLocale } from '../digest.types.js';
import { DigestException, DigestExceptionCode } from './digest.exception.js';

/** The locales digests are written in. */
export const DIGEST_LOCALES: readonly DigestLocale[] = ['en', 'zh-CN'];

/** What a member's digest is written in when they chose nothing: their ecosystem's defaults. */
export interface DigestDefaults {
  locale: DigestLocale;
  /** IANA time zone name. */
  timeZone: string;
}

/** Cambrian's own defaults, for members of no ecosystem. */
export const FALLBACK_DIGEST_DEFAULTS: DigestDefaults = { locale: 'en', timeZone: 'UTC' };

/** The member's own locale setting if they made one, else the ecosystem's default, else English. */
export function resolveDigestLocale(memberSetting: DigestLocale | null | undefined, ecosystemDefault: DigestLocale | null | undefined): DigestLocale {
  return memberSetting ?? ecosystemDefault ?? FALLBACK_DIGEST_DEFAULTS.locale;
}

/** @throws DigestException BAD_USER_INPUT naming a locale that is not `en` or `zh-CN`. */
export function parseDigestLocale(value: string): DigestLocale {
  if ((DIGEST_LOCALES as readonly string[]).includes(value)) return value as DigestLocale;
  throw new DigestException(`"${value}" is not a digest locale: use one of ${DIGEST_LOCALES.join(', ')}`, DigestExceptionCode.BAD_USER_INPUT);
}

/** @throws DigestException BAD_USER_INPUT naming a time zone the IANA database (as Node's Intl has it) does not know. */
export function assertTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone }).format(0);
    return timeZone;
  } catch {
    throw new DigestException(`"${timeZone}" is not an IANA time zone (e.g. Europe/Berlin, Asia/Shanghai, UTC)`, DigestExceptionCode.BAD_USER_INPUT);
  }
}

/**
 * Ecosystems' digest defaults (`ecosystem.default_locale`, `ecosystem.default_time_zone`). A member's
 * ecosystem is the one where their stage is most advanced (then most recently active), as in the
 * digest itself.
 */
@Injectable()
export class DigestDefaultsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Defaults per member id (every id given; {@link FALLBACK_DIGEST_DEFAULTS} for members of no ecosystem). */
  async forMembers(memberIds: readonly string[]): Promise<Map<string, DigestDefaults>> {
    const rows: Array<{ member_id: string; default_locale: DigestLocale; default_time_zone: string }> = await this.db.query(
      `SELECT DISTINCT ON (s.member_id) s.member_id, e.default_locale, e.default_time_zone
         FROM member_stage s JOIN ecosystem e ON e.id = s.ecosystem_id
        WHERE s.member_id = ANY($1::uuid[])
        ORDER BY s.member_id, array_position(ARRAY['LAPSED', 'OBSERVER', 'USER', 'FIRST_TIME_CONTRIBUTOR', 'REGULAR_CONTRIBUTOR', 'MAINTAINER'], s.stage) DESC,
                 s.last_activity_at DESC`,
      [memberIds],
    );
    const byMember = new Map(rows.map((row) => [row.member_id, { locale: row.default_locale, timeZone: row.default_time_zone }]));
    return new Map(memberIds.map((id) => [id, byMember.get(id) ?? FALLBACK_DIGEST_DEFAULTS]));
  }

  /** An ecosystem's defaults. @throws DigestException NOT_FOUND for an unknown slug. */
  async forEcosystem(slug: string): Promise<DigestDefaults & { ecosystem: string }> {
    const [row]: Array<{ default_locale: DigestLocale; default_time_zone: string }> = await this.db.query(
      `SELECT default_locale, default_time_zone FROM ecosystem WHERE slug = $1`,
      [slug],
    );
    if (!row) throw new DigestException(`Unknown ecosystem "${slug}"`, DigestExceptionCode.NOT_FOUND);
    return { ecosystem: slug, locale: row.default_locale, timeZone: row.default_time_zone };
  }

  /**
   * Sets an ecosystem's defaults; fields not given keep their value.
   * @throws DigestException BAD_USER_INPUT for an unknown locale or time zone, NOT_FOUND for an unknown ecosystem.
   */
  async setForEcosystem(slug: string, change: { locale?: string | null; timeZone?: string | null }): Promise<DigestDefaults & { ecosystem: string }> {
    const locale = change.locale != null ? parseDigestLocale(change.locale) : null;
    const timeZone = change.timeZone != null ? assertTimeZone(change.timeZone) : null;
    // TypeORM answers an UPDATE with [rows, affected count]
    const [[row]]: [Array<{ default_locale: DigestLocale; default_time_zone: string }>, number] = await this.db.query(
      `UPDATE ecosystem SET default_locale = coalesce($2, default_locale), default_time_zone = coalesce($3, default_time_zone)
        WHERE slug = $1 RETURNING default_locale, default_time_zone`,
      [slug, locale, timeZone],
    );
    if (!row) throw new DigestException(`Unknown ecosystem "${slug}"`, DigestExceptionCode.NOT_FOUND);
    return { ecosystem: slug, locale: row.default_locale, timeZone: row.default_time_zone };
  }
}
