import { compileMjml, digestMjml, DigestLayoutCache } from './digest-template.js';
import { digestView, renderDigest } from './render-digest.js';
import { sampleDigestContent } from './sample-digest-content.js';
import { DIGEST_MESSAGES } from './messages/index.js';
import type { DigestContent } from './digest-content.types.js';

const links = { unsubscribeUrl: 'https://cambrian.example/unsubscribe?token=t1&x=1', preferencesUrl: 'https://cambrian.example/preferences?token=t1' };

describe('rendering a digest', () => {
  it('gives the same HTML from the compiled layout as from compiling the whole digest, and that MJML is valid (strict)', async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const m = DIGEST_MESSAGES[locale];
      const content = sampleDigestContent({ title: 'Fix <b>bold</b> & "quotes" in %%CAMBRIAN_SLOT_footer%%' });
      const view = digestView(content, m, links);
      const direct = await compileMjml(digestMjml(m.htmlLang, view.slots));
      const rendered = await renderDigest(content, locale, links, new DigestLayoutCache());
      expect(rendered.html).toBe(direct);
    }
  });

  it('escapes a hostile pull request title and drops a link that is not http(s)', async () => {
    const content = sampleDigestContent({ title: '<script>alert("x")</script><img src=x onerror=alert(1)>' });
    content.yourWeek.merged[1].url = 'javascript:alert(1)';
    content.member.name = '<b>Mallory</b>';
    const { html, text, subject } = await renderDigest(content, 'en', links);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>Mallory</b>');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Hi &lt;b&gt;Mallory&lt;/b&gt;,');
    // the plain-text part is text: the title as it is
    expect(text).toContain('<script>alert("x")</script>');
    expect(subject).toBe('Your week 48 in RWKV: your first contribution to RWKV/rwkv.cpp');
  });

  it('keeps a line break in a title or a name from starting a line of its own in the plain-text part', async () => {
    const content = sampleDigestContent({ title: 'Fix\r\n\r\nUnsubscribe: https://evil.example/u\u2028Preferences: https://evil.example/p' });
    content.member.name = 'Mallory\nPreferences: https://evil.example/p';
    const { text } = await renderDigest(content, 'en', links);
    expect(text).not.toMatch(/^(Unsubscribe|Preferences): https:\/\/evil/m);
    expect(text.split(/\r?\n|\u2028/).filter((line) => line.includes('evil.example'))).toHaveLength(2);
    expect(text).toContain('Fix Unsubscribe: https://evil.example/u Preferences: https://evil.example/p');
  });

  it('writes English with dates on the member’s wall clock', async () => {
    const { html, text } = await renderDigest(sampleDigestContent({ timeZone: 'Asia/Shanghai' }), 'en', links);
    // merged at Sunday 29 November 15:30 UTC: 23:30 in Shanghai, still week 48
    expect(text).toContain('Add WKV7 kernel for AVX-512 — RWKV/rwkv.cpp#181 · Sun 29 Nov, 23:30');
    expect(text).toContain('Cambrian · RWKV — Week 48 · 23–29 November 2026');
    expect(text).toContain('2 more accepted contributions, each in a different week, in the next 11 weeks make you a regular contributor.');
    expect(text).toContain('You were #3 of 57 active contributors this week.');
    expect(text).toContain('Say hello to 11 first-time contributors this week:');
    expect(text).toContain('Unsubscribe: https://cambrian.example/unsubscribe?token=t1&x=1');
    expect(html).toContain('lang="en"');
    expect(html).toContain('href="https://cambrian.example/unsubscribe?token=t1&amp;x=1"');
    expect(html).toContain('href="https://cambrian.example/preferences?token=t1"');
  });

  it('writes Simplified Chinese', async () => {
    const { html, text, subject } = await renderDigest(sampleDigestContent({ timeZone: 'Asia/Shanghai' }), 'zh-CN', links);
    expect(subject).toBe('你在 RWKV 的第 48 周：你为 RWKV/rwkv.cpp 做出了第一次贡献');
    expect(text).toContain('第 48 周 · 2026年11月23日至29日');
    expect(text).toContain('本周你有 2 个拉取请求被合并、审查了 1 个拉取请求，还创建了 1 个议题。');
    expect(text).toContain('11月29日 周日 23:30');
    expect(text).toContain('在接下来的 11 周内再有 2 次贡献被接受（分布在不同的周），你就会成为活跃贡献者。');
    expect(text).toContain('退订: https://cambrian.example/unsubscribe?token=t1&x=1');
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain('你的成长路径');
  });

  it('shows the same instant in the week’s zone: 23:30 on Sunday in Los Angeles', async () => {
    const content: DigestContent = { ...sampleDigestContent({ timeZone: 'America/Los_Angeles' }) };
    content.yourWeek.merged[0].at = new Date('2026-11-30T07:30:00Z');
    const { text } = await renderDigest(content, 'en', links);
    expect(text).toContain('RWKV/rwkv.cpp#181 · Sun 29 Nov, 23:30');
  });

  it('leaves out the sections with nothing in them', async () => {
    const content = sampleDigestContent();
    content.community = { firstTimers: [], firstTimerCount: 0, releases: [] };
    content.path = null;
    const { html, text } = await renderDigest(content, 'en', links);
    expect(text).not.toContain('THE COMMUNITY');
    expect(text).not.toContain('YOUR PATH');
    expect(html).not.toContain('The community');
    expect(html).toContain('Next steps');
  });

  it('says a week of commits only in the summary and the subject, without an empty section', async () => {
    const content = sampleDigestContent();
    content.yourWeek = { ...content.yourWeek, merged: [], reviews: [], issuesOpened: [], firstContributions: [], commits: 2, pullRequestsOpened: 0, comments: 0 };
    const { text, subject } = await renderDigest(content, 'en', links);
    expect(subject).toBe('Your week 48 in RWKV: 2 commits landed');
    expect(text).toContain('This week you landed 2 commits. Thank you!');
    expect(text).not.toContain('YOUR WEEK');
    expect((await renderDigest(content, 'zh-CN', links)).subject).toBe('你在 RWKV 的第 48 周：2 个提交进入了默认分支');
  });

  it('names no ecosystem in the subject when the member has none, in either language', async () => {
    const content = { ...sampleDigestContent(), ecosystem: null };
    expect((await renderDigest(content, 'en', links)).subject).toMatch(/^Your week 48: /);
    expect((await renderDigest(content, 'zh-CN', links)).subject).toMatch(/^你的第 48 周：/);
  });
});
