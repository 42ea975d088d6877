import { domainToASCII } from 'node:url';
import { isPersonalMailDomain } from './webmail.js';

/**
 * Pure rules for naming organisations: e-mail domains as stored on an organisation, and the
 * free-text company field of a GitHub profile reduced to a key that can match one.
 */

/**
 * A host name as RFC 1035 / RFC 1123 allow it: dot-separated labels of letters, digits and
 * hyphens (no leading or trailing hyphen, 1–63 characters each), at least two labels, a
 * top-level label that is not all digits, 253 characters at most.
 */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Lower-cases and trims a domain, dropping a leading `@` and a trailing dot; an internationalised
 * name becomes its ASCII form (`bücher.de` → `xn--bcher-kva.de`, UTS #46 via WHATWG URL's
 * domainToASCII), the form organisations store, so both spellings of an address match. A name
 * that has no ASCII form gives `""` (never a valid domain).
 */
export function normaliseDomain(domain: string): string {
  const plain = domain.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
  return /[^\x20-\x7e]/.test(plain) ? domainToASCII(plain).replace(/\.$/, '') : plain;
}

/** Whether `domain` (already normalised) is a well-formed host name (see {@link DOMAIN}). */
export function isValidDomain(domain: string): boolean {
  return DOMAIN.test(domain);
}

/** The domain of an e-mail address (`sha1(local)@domain` in Cambrian's data), lower-cased; null without one. */
export function emailDomain(address: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 0 || at === address.length - 1) return null;
  const domain = normaliseDomain(address.slice(at + 1));
  return isValidDomain(domain) ? domain : null;
}

/**
 * Legal-form suffixes dropped from company names (`Acme Inc.` is `Acme`). English, German,
 * French, Dutch, Nordic, Japanese and Chinese forms seen on GitHub profiles.
 */
const LEGAL_SUFFIX =
  /[\s,]+(inc|incorporated|corp|corporation|co|company|ltd|limited|llc|llp|plc|gmbh|ag|sa|sas|sarl|bv|nv|ab|as|oy|kk|pty|pvt|srl|spa|lp)\.?$/i;

/**
 * Reduces a company name or a GitHub profile's `company` field to a comparison key: `@org`
 * mentions lose their `@` (GitHub links `@name` to that organisation), legal forms such as
 * Inc / Ltd / GmbH and surrounding punctuation go, case and inner spacing are folded.
 * `"@NVIDIA "`, `"Nvidia Corp."` and `"nvidia"` all give `"nvidia"`. Empty input gives `""`.
 */
export function companyKey(text: string): string {
  let key = text.normalize('NFKC').trim().toLowerCase();
  key = key.replace(/^@+/, '');
  for (let previous = ''; previous !== key; ) {
    previous = key;
    key = key.replace(LEGAL_SUFFIX, '').replace(/[\s.,;:!&]+$/, '').trim();
  }
  return key.replace(/\s+/g, ' ');
}

/**
 * The organisation names a profile's company field mentions: the whole field, and each `@org`
 * mention in it (`"@huggingface, ex-@google"` names both). Keys per {@link companyKey}, the
 * whole field first, no empties, no duplicates.
 */
export function companyKeys(text: string): string[] {
  const keys = [companyKey(text)];
  // an `@` inside an e-mail address (`alice@yahoo.com`) mentions no organisation
  for (const match of text.matchAll(/(?<![\p{L}\p{N}_.+])@([a-z0-9][a-z0-9-]*)(?![a-z0-9-]*\.[a-z])/giu)) keys.push(companyKey(match[1]));
  return [...new Set(keys.filter((key) => key !== ''))];
}

/** An organisation as the matchers need it. */
export interface OrganizationKeys {
  id: string;
  name: string;
  domains: readonly string[];
}

/**
 * Finds the organisation an e-mail domain belongs to: the organisation owning the domain or
 * its nearest parent (`cn.ibm.com` belongs to the owner of `ibm.com`); the longest match
 * wins. Null when none does.
 */
export function organizationForDomain(domain: string, organizations: readonly OrganizationKeys[]): string | null {
  let best: { id: string; length: number } | null = null;
  for (const organization of organizations) {
    for (const owned of organization.domains) {
      if ((domain === owned || domain.endsWith(`.${owned}`)) && (!best || owned.length > best.length)) {
        best = { id: organization.id, length: owned.length };
      }
    }
  }
  return best?.id ?? null;
}

/**
 * Finds the organisation a GitHub profile's company field names: by name (per
 * {@link companyKey}), by one of its domains written out (`nvidia.com`), or by a domain's
 * first label (`@nvidia` matches the owner of `nvidia.com`). Name matches win over domain
 * matches; ambiguous domain-label matches (two organisations) give null. A field that is an
 * e-mail address or a bare domain (see {@link writtenMailDomain}) matches only the owner of that
 * domain, and nothing when it is public webmail, a relay or noreply (`alice@yahoo.com` names a
 * mail provider, not an employer, even where an organisation is named "Yahoo").
 */
export function organizationForCompany(company: string, organizations: readonly OrganizationKeys[]): string | null {
  const written = writtenMailDomain(company);
  if (written !== null) return written === '' || isPersonalMailDomain(written) ? null : organizationForDomain(written, organizations);
  const keys = companyKeys(company);
  if (keys.length === 0) return null;
  for (const key of keys) {
    const byName = organizations.find((organization) => companyKey(organization.name) === key);
    if (byName) return byName.id;
  }
  for (const key of keys) {
    const byDomain = organizations.find((organization) => organization.domains.includes(key));
    if (byDomain) return byDomain.id;
    const byLabel = organizations.filter((organization) =>
      organization.domains.some((owned) => owned.split('.')[0] === key),
    );
    if (byLabel.length === 1) return byLabel[0].id;
  }
  return null;
}

/**
 * The domain a company field writes out when the whole field (trimmed, a leading `@` dropped) is
 * an e-mail address (`alice@acme.com`) or a host name (`acme.com`, `@qq.com`); `''` for an
 * address whose domain is malformed; null when the field is neither (a name, `@org`, a
 * sentence).
 */
export function writtenMailDomain(company: string): string | null {
  const text = company.normalize('NFKC').trim().replace(/^@+/, '');
  if (/^[^\s@]+@[^\s@]+$/.test(text)) return emailDomain(text) ?? '';
  const domain = normaliseDomain(text);
  return isValidDomain(domain) ? domain : null;
}
