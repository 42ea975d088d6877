import { Injectable } from '@nestjs/common';
import type { ComposedDigest, DigestComposer, DigestLinks, DigestRecipient, IsoWeekKey } from '../digest.types.js';
import { parseIsoWeek } from '../iso-week.js';
import { DigestContentLoader, type DigestWeekContext } from './digest-content.loader.js';
import type { DigestContent } from './digest-content.types.js';
import { assertTimeZone, parseDigestLocale } from './digest-defaults.js';
import { emptyReason } from './digest-empty.js';
import { DigestException, DigestExceptionCode } from './digest.exception.js';
import { renderDigest } from './render-digest.js';

/** One digest to compose: who it is for and the links its footer carries. */
export interface DigestRequest {
  recipient: DigestRecipient;
  links: DigestLinks;
}

/** Members whose content one query batch reads. */
const LOAD_BATCH = 500;

/**
 * Composes weekly digests ({@link DigestComposer}): reads the content ({@link DigestContentLoader}),
 * decides whether there is anything to say ({@link emptyReason}) and renders it ({@link renderDigest}).
 */
@Injectable()
export class DigestComposerService implements DigestComposer {
  constructor(private readonly loader: DigestContentLoader) {}

  /**
   * One member's digest (see {@link DigestComposer.compose}).
   * @throws DigestException BAD_USER_INPUT for a malformed week, locale or time zone; NOT_FOUND for an unknown member
   */
  async compose(recipient: DigestRecipient, week: IsoWeekKey, links: DigestLinks): Promise<ComposedDigest> {
    const [composed] = await this.composeMany([{ recipient, links }], week);
    return composed;
  }

  /**
   * Many members' digests of one week, in the order asked. The parts every digest of the week shares
   * (week bounds, community, hackathons, ranks, rules) are read once per time zone and kept in
   * `contexts`, which a caller may pass again to reuse them across calls; members' own data is read
   * in batches of {@link LOAD_BATCH}.
   * @throws DigestException BAD_USER_INPUT for a malformed week, locale or time zone; NOT_FOUND naming unknown members
   */
  async composeMany(requests: readonly DigestRequest[], week: IsoWeekKey, contexts: Map<string, DigestWeekContext> = new Map()): Promise<ComposedDigest[]> {
    const contents = await this.contents(requests, week, contexts);
    return Promise.all(
      requests.map(async ({ recipient, links }, index): Promise<ComposedDigest> => {
        const loaded = contents[index];
        if (loaded.kind === 'not_person') return { kind: 'empty', reason: loaded.reason };
        const reason = emptyReason(loaded.content);
        if (reason) return { kind: 'empty', reason };
        return { kind: 'digest', rendered: await renderDigest(loaded.content, recipient.locale, links) };
      }),
    );
  }

  /**
   * The content of each request's digest (not rendered), in the order asked: for previews, tests and
   * anyone rendering themselves.
   */
  async contents(
    requests: readonly DigestRequest[],
    week: IsoWeekKey,
    contexts: Map<string, DigestWeekContext> = new Map(),
  ): Promise<Array<{ kind: 'content'; content: DigestContent } | { kind: 'not_person'; reason: string }>> {
    try {
      parseIsoWeek(week);
    } catch (error) {
      throw new DigestException((error as Error).message, DigestExceptionCode.BAD_USER_INPUT);
    }
    for (const { recipient } of requests) {
      assertTimeZone(recipient.timeZone);
      parseDigestLocale(recipient.locale);
    }
    const byZone = new Map<string, string[]>();
    for (const { recipient } of requests) {
      const ids = byZone.get(recipient.timeZone) ?? [];
      ids.push(recipient.memberId);
      byZone.set(recipient.timeZone, ids);
    }
    const loaded = new Map<string, Awaited<ReturnType<DigestContentLoader['load']>>>();
    for (const [zone, ids] of byZone) {
      let ctx = contexts.get(`${week}|${zone}`);
      if (!ctx) {
        ctx = await this.loader.weekContext(week, zone);
        contexts.set(`${week}|${zone}`, ctx);
      }
      const zoneLoaded = new Map();
      for (let i = 0; i < ids.length; i += LOAD_BATCH) {
        for (const [id, value] of await this.loader.load(ids.slice(i, i + LOAD_BATCH), ctx)) zoneLoaded.set(id, value);
      }
      loaded.set(zone, zoneLoaded);
    }
    const missing = requests.filter(({ recipient }) => !loaded.get(recipient.timeZone)!.has(recipient.memberId)).map(({ recipient }) => recipient.memberId);
    if (missing.length) throw new DigestException(`Unknown member${missing.length === 1 ? '' : 's'}: ${missing.slice(0, 10).join(', ')}`, DigestExceptionCode.NOT_FOUND);
    return requests.map(({ recipient }) => loaded.get(recipient.timeZone)!.get(recipient.memberId)!);
  }
}
