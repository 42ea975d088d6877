import type { TFunction } from 'i18next';

/** The reasons the sender records for a member who gets no digest (EmailPreferenceService.recipient, libs/digests). */
const KNOWN = ['no-member', 'not-a-person', 'no-preferences', 'not-opted-in', 'bounced'] as const;

/**
 * A ledger row's `reason` for people: the sender's short codes in the page's language; any other reason
 * (the composer's "no activity …" sentence, "already sent to merged member …") as the api wrote it.
 */
export function skipReason(reason: string, t: TFunction): string {
  return (KNOWN as readonly string[]).includes(reason) ? t(`digests.skipReason.${reason}`) : reason;
}
