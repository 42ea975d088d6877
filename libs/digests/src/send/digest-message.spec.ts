import { simpleParser } from 'mailparser';
import { countHeaderLines } from '../../../../test/helpers/smtp-catcher.js';
import { digestLinks } from './digest-links.js';
import { buildDigestMessage, digestMessageId } from './digest-message.js';
import { verifyDigestToken } from './digest-token.js';

const member = '5b0f8a4e-8d1c-4d59-9a43-0c7a4f1f3b11';
const settings = {
  PUBLIC_BASE_URL: 'https://cambrian.example.org',
  DIGEST_TOKEN_SECRETS: ['secret'],
  MAIL_FROM: 'Cambrian <digest@cambrian.example.org>',
};

describe('digest message', () => {
  it('carries exactly one List-Unsubscribe (https and mailto) and one List-Unsubscribe-Post header (case M2)', async () => {
    const links = digestLinks(settings, member);
    const raw = await buildDigestMessage({
      from: settings.MAIL_FROM,
      to: 'm-1@example.org',
      rendered: { subject: 'Your week: 2 pull requests merged / 本周', html: '<p>Hello</p>', text: 'Hello' },
      messageId: digestMessageId(member, '2026-W48', settings.MAIL_FROM),
      unsubscribeUrl: links.unsubscribeUrl,
      unsubscribeMailto: links.unsubscribeMailto,
    });
    expect(countHeaderLines(raw, 'List-Unsubscribe')).toBe(1);
    expect(countHeaderLines(raw, 'List-Unsubscribe-Post')).toBe(1);
    const parsed = await simpleParser(raw);
    const value = String(parsed.headerLines.find((line) => line.key === 'list-unsubscribe')!.line).replace(/\r?\n\s+/g, ' ');
    const match = /^List-Unsubscribe: <(https:\/\/cambrian\.example\.org\/unsubscribe\?token=[^>]+)>, <(mailto:unsubscribe@cambrian\.example\.org\?subject=[^>]+)>$/.exec(value);
    expect(match).not.toBeNull();
    expect(verifyDigestToken(['secret'], 'unsubscribe', new URL(match![1]).searchParams.get('token'))).toBe(member);
    // mailparser folds list headers into `list`: read the header lines it parsed
    expect(parsed.headerLines.filter((line) => line.key === 'list-unsubscribe-post').map((line) => line.line)).toEqual([
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    ]);
    expect(parsed.messageId).toBe(`<digest.2026-w48.${member}@cambrian.example.org>`);
    expect(parsed.subject).toBe('Your week: 2 pull requests merged / 本周');
    expect(parsed.text?.trim()).toBe('Hello');
    expect(parsed.html).toContain('<p>Hello</p>');
  });
});
