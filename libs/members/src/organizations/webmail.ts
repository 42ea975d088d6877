import emailProviders from 'email-providers';

/**
 * Domains Cambrian treats as personal mail besides the `email-providers` list (public webmail,
 * ~8.7k domains, https://github.com/derhuerst/email-providers, refreshed monthly on npm):
 * forwarding and relay services, whose addresses say nothing about an employer, and GitHub's
 * noreply addresses. Subdomains count too (`name.mozmail.com`).
 */
export const EXTRA_PERSONAL_MAIL_DOMAINS: readonly string[] = [
  'users.noreply.github.com', // GitHub's private commit addresses
  'mozmail.com', // Firefox Relay
  'duck.com', // DuckDuckGo Email Protection
  'privaterelay.appleid.com', // Sign in with Apple relay
  'addy.io',
  'anonaddy.com',
  'anonaddy.me',
  'simplelogin.com',
  'simplelogin.co',
  'slmail.me',
  'aleeas.com',
  'passmail.net', // Proton Pass aliases
  'passinbox.com',
  'keemail.me', // Tuta
  'tuta.io',
  'tutamail.com',
  'tutanota.com',
  'tutanota.de',
  // Chinese public webmail missing from the list above (the Chinese open-model community signs
  // commits with them): the three carriers' mail, Sohu and 263
  '139.com', // China Mobile
  '189.cn', // China Telecom
  'wo.cn', // China Unicom
  'sohu.com', // Sohu Mail (Sohu staff write from sohu-inc.com)
  '263.net',
];

const PERSONAL = new Set<string>([...(emailProviders as string[]), ...EXTRA_PERSONAL_MAIL_DOMAINS].map((d) => d.toLowerCase()));

/**
 * Whether `domain` (lower-case, no `@`) is a public webmail, relay or noreply domain, or a
 * subdomain of one: an address there never ties a member to an organisation.
 */
export function isPersonalMailDomain(domain: string): boolean {
  const labels = domain.toLowerCase().split('.');
  for (let i = 0; i < labels.length - 1; i += 1) {
    if (PERSONAL.has(labels.slice(i).join('.'))) return true;
  }
  return false;
}
