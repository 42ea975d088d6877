import { formatInTimeZone } from 'date-fns-tz';
import type { DigestLinks, DigestLocale, RenderedDigest } from '../digest.types.js';
import { parseIsoWeek } from '../iso-week.js';
import type { DigestContent, DigestItem } from './digest-content.types.js';
import { DigestLayoutCache, type DigestSlots } from './digest-template.js';
import { escapeHtml as esc, safeHref } from './escape-html.js';
import { DIGEST_MESSAGES, type DigestMessages } from './messages/index.js';

const GREEN = '#0b6e4f';
const MUTED = '#6b7672';
/** Most names listed in the welcome line. */
const WELCOME_NAMES = 8;

/** Shared by every render of a process: one compiled layout per locale and set of sections. */
const defaultLayouts = new DigestLayoutCache();

/**
 * Renders a digest: subject, responsive HTML (MJML) and plain text, in `locale`, with every date and
 * time on the wall clock of `content.timeZone`. Pure apart from the compiled-layout cache: it reads
 * nothing but its arguments. Every value from data is escaped in the HTML; links from data are kept
 * only when they are http(s).
 */
export async function renderDigest(
  content: DigestContent,
  locale: DigestLocale,
  links: DigestLinks,
  layouts: DigestLayoutCache = defaultLayouts,
): Promise<RenderedDigest> {
  const m = DIGEST_MESSAGES[locale];
  const view = digestView(content, m, links);
  return { subject: view.subject, html: await layouts.html(locale, m.htmlLang, view.slots), text: view.text };
}

/** The subject, the HTML slots and the plain text of a digest (see {@link renderDigest}). */
export function digestView(content: DigestContent, m: DigestMessages, links: DigestLinks): { subject: string; slots: DigestSlots; text: string } {
  const tz = content.timeZone;
  const day = (d: Date) => formatInZone(d, tz, m, m.dayFormat);
  const dayTime = (d: Date) => formatInZone(d, tz, m, m.dayTimeFormat);
  const date = (d: Date) => formatInZone(d, tz, m, m.dateFormat);
  const weekNumber = parseIsoWeek(content.week).week;
  const span = m.weekSpan(content.weekStart, new Date(content.weekEnd.getTime() - 1), tz);
  const w = content.yourWeek;
  const ecosystem = content.ecosystem?.name ?? null;
  const did = w.merged.length + w.reviews.length + w.issuesOpened.length + w.commits + w.pullRequestsOpened + w.comments > 0;
  const upcoming = content.nextSteps.hackathons.find((h) => h.registrationOpen && !h.registered) ?? null;
  const teamNews = content.nextSteps.teams.find((t) => t.result) ?? content.nextSteps.teams[0] ?? null;

  const subject = m.subject({
    weekNumber,
    ecosystem,
    headline: m.headline({
      merged: w.merged.length,
      reviews: w.reviews.length,
      issues: w.issuesOpened.length,
      commits: w.commits,
      firstRepository: w.firstContributions[0]?.repository ?? null,
      team: teamNews ? { hackathon: teamNews.hackathon, result: teamNews.result !== null } : null,
      openIssues: content.nextSteps.issues.length,
      hackathon: upcoming?.name ?? null,
    }),
  });
  const summary = did
    ? m.summary({ merged: w.merged.length, reviews: w.reviews.length, issues: w.issuesOpened.length, commits: w.commits, opened: w.pullRequestsOpened, comments: w.comments })
    : m.quietWeek;

  const html = new HtmlBuilder();
  const text = new TextBuilder();

  // header and greeting
  const header = `<span style="color:${GREEN};font-weight:700;letter-spacing:0.02em">Cambrian${ecosystem ? ` · ${esc(ecosystem)}` : ''}</span>&nbsp;&nbsp;${esc(m.weekTitle(weekNumber))} · ${esc(span)}`;
  const intro =
    `<div style="font-size:22px;line-height:1.3;font-weight:700;margin:0 0 10px">${esc(m.greeting(content.member.name))}</div>` +
    `<div style="font-size:16px;color:#33413b">${esc(summary)}</div>`;
  text.line(`Cambrian${ecosystem ? ` · ${ecosystem}` : ''} — ${m.weekTitle(weekNumber)} · ${span}`).blank();
  text.line(m.greeting(content.member.name)).blank().line(summary).blank();

  // their week
  let yourWeek: string | undefined;
  // counts alone (commits, comments) are said in the summary; the section lists what can be linked
  if (w.merged.length || w.reviews.length || w.issuesOpened.length || w.firstContributions.length) {
    html.heading(m.sections.yourWeek);
    text.heading(m.sections.yourWeek);
    for (const repo of w.firstContributions) {
      html.callout(`${esc(m.firstContribution(repo.repository))}`, safeHref(repo.url));
      text.line(`★ ${m.firstContribution(repo.repository)} ${repo.url}`);
    }
    const items = (title: string, list: DigestItem[], extra?: (item: DigestItem) => string) => {
      if (!list.length) return;
      html.subheading(m.counted(title, list.length));
      text.line(m.counted(title, list.length));
      for (const item of list) {
        const note = [extra?.(item), dayTime(item.at)].filter(Boolean).join(' · ');
        html.item(item.title || `#${item.number}`, safeHref(item.url), `${item.repository}#${item.number}`, note);
        text.line(`  - ${item.title || `#${item.number}`} — ${item.repository}#${item.number} · ${note}`).line(`    ${item.url}`);
      }
    };
    items(m.mergedTitle, w.merged);
    items(m.reviewsTitle, w.reviews, (item) => m.reviewState((item as (typeof w.reviews)[number]).state));
    items(m.issuesTitle, w.issuesOpened);
    const other = m.otherWork({ commits: w.commits, opened: w.pullRequestsOpened, comments: w.comments });
    if (other && (w.merged.length || w.reviews.length || w.issuesOpened.length)) {
      html.note(other);
      text.line(other);
    }
    yourWeek = html.take();
    text.blank();
  }

  // their path
  let path: string | undefined;
  if (content.path) {
    const p = content.path;
    html.heading(m.sections.path);
    text.heading(m.sections.path);
    html.badge(m.stageName(p.stage));
    const now = m.stageNow(p.stage, date(p.since));
    const next = p.next ? m.next(p.next) : m.maintainerNext;
    html.paragraph(now).paragraph(next, true);
    text.line(now).line(next);
    if (p.lapsesAt) {
      const warning = m.lapseWarning(date(p.lapsesAt));
      html.note(warning);
      text.line(warning);
    }
    if (p.rank) {
      const rank = m.rank(p.rank.position, p.rank.of);
      html.paragraph(rank);
      text.line(rank);
    }
    path = html.take();
    text.blank();
  }

  // next steps
  let nextSteps: string | undefined;
  const n = content.nextSteps;
  if (n.issues.length || n.hackathons.length || n.teams.length) {
    html.heading(m.sections.nextSteps);
    text.heading(m.sections.nextSteps);
    if (n.teams.length) {
      html.subheading(m.teamHeading);
      text.line(m.teamHeading);
      for (const team of n.teams) {
        if (team.allocations.length) {
          const units = team.allocations.map((a) => `${a.resource}: ${m.allocationUnits(a.units, a.kind)}${a.sponsor ? ` (${a.sponsor})` : ''}`);
          html.paragraph(m.teamAllocations(team.team, team.hackathon)).bullets(units);
          text.line(`  ${m.teamAllocations(team.team, team.hackathon)}`);
          for (const unit of units) text.line(`    - ${unit}`);
        }
        if (team.result) {
          const result = m.teamResult({ team: team.team, hackathon: team.hackathon, rank: team.result.rank, of: team.result.of });
          html.paragraph(result, true);
          text.line(`  ${result}`);
        }
      }
    }
    if (n.issues.length) {
      html.subheading(m.issuesHeading);
      text.line(m.issuesHeading);
      for (const issue of n.issues) {
        html.item(issue.title || `#${issue.number}`, safeHref(issue.url), `${issue.repository}#${issue.number}`, m.issueOpened(day(issue.openedAt)), issue.labels);
        text.line(`  - ${issue.title || `#${issue.number}`} — ${issue.repository}#${issue.number} [${issue.labels.join(', ')}]`).line(`    ${issue.url}`);
      }
    }
    if (n.hackathons.length) {
      html.subheading(m.hackathonsHeading);
      text.line(m.hackathonsHeading);
      for (const h of n.hackathons) {
        const line = m.hackathonLine({
          dates: `${day(h.startsAt)} – ${day(new Date(h.endsAt.getTime() - 1))}`,
          deadline: h.registrationClosesAt ? dayTime(h.registrationClosesAt) : null,
          registrationOpen: h.registrationOpen,
          registered: h.registered,
        });
        html.item(h.name, null, null, line);
        text.line(`  - ${h.name}: ${line}`);
      }
    }
    nextSteps = html.take();
    text.blank();
  }

  // the community
  let community: string | undefined;
  const c = content.community;
  if (c.firstTimerCount || c.releases.length) {
    html.heading(m.sections.community);
    text.heading(m.sections.community);
    if (c.firstTimerCount) {
      const names = c.firstTimers.slice(0, WELCOME_NAMES).map((f) => (f.login ? `@${f.login}` : f.name));
      const rest = c.firstTimerCount - names.length;
      const all = rest > 0 ? [...names, m.andOthers(rest)] : names;
      html.paragraph(m.welcome(c.firstTimerCount)).paragraph(all.join(' · '), true);
      text.line(m.welcome(c.firstTimerCount)).line(`  ${all.join(' · ')}`);
    }
    if (c.releases.length) {
      html.subheading(m.releasesHeading);
      text.line(m.releasesHeading);
      for (const r of c.releases) {
        html.item(m.release(r.repository, r.tag), safeHref(r.url), r.name && r.name !== r.tag ? r.name : null, day(r.at));
        text.line(`  - ${m.release(r.repository, r.tag)} · ${day(r.at)} ${r.url}`);
      }
    }
    community = html.take();
    text.blank();
  }

  const unsubscribe = safeHref(links.unsubscribeUrl);
  const preferences = safeHref(links.preferencesUrl);
  const footer =
    `${esc(m.footerWhy(ecosystem))}<br />` +
    `<a href="${preferences ?? ''}" style="color:${MUTED};text-decoration:underline">${esc(m.preferences)}</a>` +
    ` &nbsp;·&nbsp; <a href="${unsubscribe ?? ''}" style="color:${MUTED};text-decoration:underline">${esc(m.unsubscribe)}</a>`;
  text.line('—').line(m.footerWhy(ecosystem)).line(`${m.preferences}: ${links.preferencesUrl}`).line(`${m.unsubscribe}: ${links.unsubscribeUrl}`);

  return {
    subject,
    slots: {
      title: esc(subject),
      preheader: esc(m.preheader({ weekNumber, span })),
      header,
      intro,
      yourWeek,
      path,
      nextSteps,
      community,
      footer,
    },
    text: text.toString(),
  };
}

const formatted = new Map<string, string>();
/** Most formatted dates remembered (a week's digests share most of theirs: the week, hackathons, releases). */
const FORMATTED_KEPT = 100_000;

/**
 * `formatInTimeZone` (date-fns-tz), remembered per instant, zone, pattern and locale: formatting asks
 * Intl for the zone's offset each time, which is most of a digest's rendering time.
 */
function formatInZone(instant: Date, timeZone: string, m: DigestMessages, pattern: string): string {
  const key = `${instant.getTime()}|${timeZone}|${m.locale}|${pattern}`;
  let value = formatted.get(key);
  if (value === undefined) {
    value = formatInTimeZone(instant, timeZone, pattern, { locale: m.dateLocale });
    if (formatted.size >= FORMATTED_KEPT) formatted.clear();
    formatted.set(key, value);
  }
  return value;
}

/** Small blocks of inline-styled HTML (mail clients drop `<style>`); every argument is plain text and is escaped here. */
class HtmlBuilder {
  private parts: string[] = [];

  heading(title: string): this {
    this.parts.push(`<div style="font-size:13px;font-weight:700;letter-spacing:0.08em;text-transform:uppercase;color:${GREEN};margin:0 0 12px">${esc(title)}</div>`);
    return this;
  }

  subheading(title: string): this {
    this.parts.push(`<div style="font-size:14px;font-weight:700;color:#1f2933;margin:14px 0 6px">${esc(title)}</div>`);
    return this;
  }

  paragraph(value: string, strong = false): this {
    this.parts.push(`<div style="margin:0 0 8px${strong ? ';font-weight:600' : ''}">${esc(value)}</div>`);
    return this;
  }

  note(value: string): this {
    this.parts.push(`<div style="margin:8px 0 0;font-size:13px;color:${MUTED}">${esc(value)}</div>`);
    return this;
  }

  badge(value: string): this {
    this.parts.push(
      `<div style="margin:0 0 10px"><span style="display:inline-block;background:#e3f4ec;color:${GREEN};font-weight:700;font-size:13px;border-radius:999px;padding:4px 12px">${esc(value)}</span></div>`,
    );
    return this;
  }

  callout(html: string, href: string | null): this {
    const body = href ? `<a href="${href}" style="color:#5b3a00;text-decoration:none">${html}</a>` : html;
    this.parts.push(`<div style="background:#fff6e0;border-left:4px solid #f0b429;border-radius:6px;padding:10px 14px;margin:0 0 12px;color:#5b3a00;font-weight:600">★ ${body}</div>`);
    return this;
  }

  bullets(values: string[]): this {
    this.parts.push(`<ul style="margin:0 0 10px;padding-left:20px">${values.map((v) => `<li style="margin:0 0 4px">${esc(v)}</li>`).join('')}</ul>`);
    return this;
  }

  /** One row: a title (linked when `href`), a reference (`owner/name#12`), a note and labels. */
  item(title: string, href: string | null, reference: string | null, note: string | null, labels: string[] = []): this {
    const heading = href
      ? `<a href="${href}" style="color:#1f2933;text-decoration:none;font-weight:600">${esc(title)}</a>`
      : `<span style="font-weight:600">${esc(title)}</span>`;
    const chips = labels
      .map((label) => `<span style="display:inline-block;font-size:11px;border:1px solid #b7dfcb;color:${GREEN};border-radius:999px;padding:0 8px;margin:0 4px 0 0">${esc(label)}</span>`)
      .join('');
    const meta = [reference ? `<span style="color:${GREEN}">${esc(reference)}</span>` : '', note ? esc(note) : ''].filter(Boolean).join(' · ');
    this.parts.push(
      `<div style="padding:8px 0;border-bottom:1px solid #f0f1f2">${heading}` +
        `<div style="font-size:13px;color:${MUTED};margin-top:2px">${meta}${chips ? ` &nbsp;${chips}` : ''}</div></div>`,
    );
    return this;
  }

  /** The HTML built since the last take. */
  take(): string {
    const html = this.parts.join('');
    this.parts = [];
    return html;
  }
}

/** Line breaks inside a value (CR, LF, NEL, LS, PS), in runs. */
const LINE_BREAKS = /[\r\n\u0085\u2028\u2029]+/g;

/**
 * The plain-text part, line by line. A value from data (a title, a name) is one line: its line breaks become a
 * space, so no value can start a line of its own (a forged "Unsubscribe: <url>" line, say).
 */
class TextBuilder {
  private readonly lines: string[] = [];

  line(value: string): this {
    this.lines.push(value.replace(LINE_BREAKS, ' '));
    return this;
  }

  blank(): this {
    if (this.lines.at(-1) !== '') this.lines.push('');
    return this;
  }

  heading(title: string): this {
    title = title.replace(LINE_BREAKS, ' ');
    this.lines.push(title.toUpperCase(), '='.repeat(Math.min(40, title.length * (/[^ -~]/.test(title) ? 2 : 1))));
    return this;
  }

  toString(): string {
    return `${this.lines.join('\n').trimEnd()}\n`;
  }
}
