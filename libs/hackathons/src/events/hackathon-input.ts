import { z } from 'zod';
import { badInput } from '../common/hackathon.exception.js';
import { parseWith } from '../common/parse-input.js';
import { NO_NUL_MESSAGE, noNul } from '../common/text-input.js';
import { anywhereOnEarthWindow, isCalendarDate } from './anywhere-on-earth.js';

/** Slugs: lower-case letters, digits and hyphens, 1–63 characters, not starting with a hyphen (as the table's CHECK). */
export const HACKATHON_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** 8-4-4-4-12 hexadecimal digits: the form of a hackathon id, which no slug may take. */
const UUID_SHAPED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** GitHub topics: lower-case letters, digits and hyphens, at most 50 characters, not starting with a hyphen. */
export const GITHUB_TOPIC = /^[a-z0-9][a-z0-9-]{0,49}$/;
/** Largest team an event may allow (the table's CHECK). */
export const MAX_TEAM_SIZE_LIMIT = 100;
/** Labels containing one of these words (any case) disqualify a pull request (issue 5). */
export const DISQUALIFYING_LABEL_WORDS = ['spam', 'invalid'] as const;

/** The fields of a hackathon an organiser sets, before validation (creation, or stored values with a patch applied). */
export interface HackathonFieldsInput {
  slug: string;
  name: string;
  description?: string | null;
  anywhereOnEarth?: boolean | null;
  startDate?: string | null;
  endDate?: string | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  registrationOpensAt?: Date | null;
  registrationClosesAt?: Date | null;
  minTeamSize?: number | null;
  maxTeamSize?: number | null;
  optInLabel?: string | null;
  trackedTopic?: string | null;
}

/** Validated, normalised fields, ready to store. */
export interface HackathonFields {
  slug: string;
  name: string;
  description: string;
  anywhereOnEarth: boolean;
  startDate: string | null;
  endDate: string | null;
  /** Event window `[startsAt, endsAt)`, UTC instants. */
  startsAt: Date;
  endsAt: Date;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
  minTeamSize: number;
  maxTeamSize: number;
  optInLabel: string | null;
  trackedTopic: string | null;
}

/** Years an event may fall in: wide enough for any real event, narrow enough that every instant stays RFC 3339 (4-digit years). */
const MIN_YEAR = 2000;
const MAX_YEAR = 2199;
const inYears = (year: number) => year >= MIN_YEAR && year <= MAX_YEAR;
const YEARS_MESSAGE = `must fall in the years ${MIN_YEAR}–${MAX_YEAR}`;
const calendarDate = z
  .string()
  .trim()
  .refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD')
  .refine((date) => !isCalendarDate(date) || inYears(Number(date.slice(0, 4))), YEARS_MESSAGE);
const instant = z
  .date()
  .refine((date) => !Number.isNaN(date.getTime()), 'must be a valid instant')
  .refine((date) => Number.isNaN(date.getTime()) || inYears(date.getUTCFullYear()), YEARS_MESSAGE);
const teamSize = z.number().int('must be an integer').min(1, 'must be at least 1').max(MAX_TEAM_SIZE_LIMIT, `must be at most ${MAX_TEAM_SIZE_LIMIT}`);


const fieldsSchema = z
  .object({
    slug: z
      .string()
      .trim()
      .regex(HACKATHON_SLUG, 'must be 1–63 lower-case letters, digits and hyphens, not starting with a hyphen')
      // arguments naming a hackathon take an id or a slug: a slug shaped like an id would name two hackathons
      .refine((slug) => !UUID_SHAPED.test(slug), 'must not have the form of a UUID (arguments naming a hackathon would read it as an id)'),
    name: z
      .string()
      .transform((name) => name.trim().replace(/\s+/g, ' '))
      .pipe(z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').refine(noNul, NO_NUL_MESSAGE)),
    description: z
      .string()
      .max(20_000, 'must be at most 20000 characters')
      .refine(noNul, NO_NUL_MESSAGE)
      .nullish()
      .transform((d) => d ?? ''),
    anywhereOnEarth: z.boolean().nullish().transform((v) => v ?? false),
    startDate: calendarDate.nullish(),
    endDate: calendarDate.nullish(),
    startsAt: instant.nullish(),
    endsAt: instant.nullish(),
    registrationOpensAt: instant.nullish(),
    registrationClosesAt: instant.nullish(),
    minTeamSize: teamSize.nullish().transform((v) => v ?? 1),
    maxTeamSize: teamSize.nullish().transform((v) => v ?? 5),
    optInLabel: z
      .string()
      .trim()
      .min(1, 'must not be empty (leave it out for no opt-in label)')
      .max(100, 'must be at most 100 characters')
      .refine(noNul, NO_NUL_MESSAGE)
      .refine(
        (label) => !DISQUALIFYING_LABEL_WORDS.some((word) => label.toLowerCase().includes(word)),
        `must not contain ${DISQUALIFYING_LABEL_WORDS.join(' or ')} (such labels disqualify a pull request)`,
      )
      .nullish(),
    trackedTopic: z
      .string()
      .transform((topic) => topic.trim().toLowerCase())
      .pipe(z.string().regex(GITHUB_TOPIC, 'must be a GitHub topic: lower-case letters, digits and hyphens, 1–50 characters'))
      .nullish(),
  })
  .superRefine((fields, ctx) => {
    if (fields.anywhereOnEarth) {
      if (!fields.startDate) ctx.addIssue({ code: 'custom', path: ['startDate'], message: 'is required for an anywhere-on-earth window' });
      if (!fields.endDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'is required for an anywhere-on-earth window' });
      if (fields.startDate && fields.endDate && fields.endDate < fields.startDate) {
        ctx.addIssue({ code: 'custom', path: ['endDate'], message: `must not be before startDate ${fields.startDate}` });
      }
    } else {
      if (!fields.startsAt) ctx.addIssue({ code: 'custom', path: ['startsAt'], message: 'is required (or set anywhereOnEarth with dates)' });
      if (!fields.endsAt) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'is required (or set anywhereOnEarth with dates)' });
      if (fields.startsAt && fields.endsAt && fields.endsAt <= fields.startsAt) {
        ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
      }
    }
    if (fields.maxTeamSize < fields.minTeamSize) {
      ctx.addIssue({ code: 'custom', path: ['maxTeamSize'], message: `must be at least minTeamSize (${fields.minTeamSize})` });
    }
    if (fields.registrationOpensAt && fields.registrationClosesAt && fields.registrationClosesAt <= fields.registrationOpensAt) {
      ctx.addIssue({ code: 'custom', path: ['registrationClosesAt'], message: 'must be after registrationOpensAt' });
    }
  });

/**
 * Validates and normalises a hackathon's fields: slug format, name (trimmed, whitespace folded,
 * 1–200), description (≤ 20,000), the window (either `startsAt < endsAt`, or with
 * `anywhereOnEarth` calendar dates `startDate ≤ endDate` from which the window is computed, see
 * {@link anywhereOnEarthWindow}; the other pair is then ignored), registration window order
 * (`registrationOpensAt < registrationClosesAt`; it must also open before the event ends),
 * team sizes (1 ≤ min ≤ max ≤ 100), opt-in label (1–100 characters, never containing `spam` or
 * `invalid`, which disqualify) and tracked topic (GitHub's topic format, lower-cased).
 * @throws HackathonException BAD_USER_INPUT naming each offending field.
 */
export function parseHackathonFields(input: HackathonFieldsInput): HackathonFields {
  const fields = parseWith(fieldsSchema, input);
  const window = fields.anywhereOnEarth
    ? anywhereOnEarthWindow(fields.startDate!, fields.endDate!)
    : { startsAt: fields.startsAt!, endsAt: fields.endsAt! };
  const registrationOpensAt = fields.registrationOpensAt ?? null;
  if (registrationOpensAt && registrationOpensAt >= window.endsAt) {
    throw badInput(`Invalid arguments: registrationOpensAt: must be before the event ends (${window.endsAt.toISOString()})`);
  }
  return {
    slug: fields.slug,
    name: fields.name,
    description: fields.description,
    anywhereOnEarth: fields.anywhereOnEarth,
    startDate: fields.anywhereOnEarth ? fields.startDate! : null,
    endDate: fields.anywhereOnEarth ? fields.endDate! : null,
    ...window,
    registrationOpensAt,
    registrationClosesAt: fields.registrationClosesAt ?? null,
    minTeamSize: fields.minTeamSize,
    maxTeamSize: fields.maxTeamSize,
    optInLabel: fields.optInLabel ?? null,
    trackedTopic: fields.trackedTopic ?? null,
  };
}
