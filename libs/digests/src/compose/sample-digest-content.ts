import type { DigestContent } from './digest-content.types.js';

/**
 * A full digest's content (every section), for rendering specs and the benchmark's baseline; `title`
 * replaces the first merged pull request's title (e.g. with hostile markup).
 */
export function sampleDigestContent(overrides: { title?: string; timeZone?: string; memberName?: string } = {}): DigestContent {
  const at = (iso: string) => new Date(iso);
  return {
    week: '2026-W48',
    timeZone: overrides.timeZone ?? 'Asia/Shanghai',
    weekStart: at('2026-11-22T16:00:00Z'),
    weekEnd: at('2026-11-29T16:00:00Z'),
    member: { id: '00000000-0000-4000-8000-000000000001', name: overrides.memberName ?? 'Lin Yu', login: 'linyu' },
    ecosystem: { id: 1, slug: 'rwkv', name: 'RWKV' },
    yourWeek: {
      merged: [
        { repository: 'RWKV/rwkv.cpp', number: 181, title: overrides.title ?? 'Add WKV7 kernel for AVX-512', url: 'https://github.com/RWKV/rwkv.cpp/pull/181', at: at('2026-11-29T15:30:00Z') },
        { repository: 'BlinkDL/RWKV-LM', number: 244, title: 'Fix tokenizer for CJK punctuation', url: 'https://github.com/BlinkDL/RWKV-LM/pull/244', at: at('2026-11-24T03:12:00Z') },
      ],
      reviews: [{ repository: 'josStorer/RWKV-Runner', number: 312, title: 'Support state tuning presets', url: 'https://github.com/josStorer/RWKV-Runner/pull/312', at: at('2026-11-25T09:00:00Z'), state: 'APPROVED' }],
      issuesOpened: [{ repository: 'RWKV/rwkv.cpp', number: 190, title: 'Quantised model crashes on ARM64', url: 'https://github.com/RWKV/rwkv.cpp/issues/190', at: at('2026-11-26T11:00:00Z') }],
      firstContributions: [{ repository: 'RWKV/rwkv.cpp', url: 'https://github.com/RWKV/rwkv.cpp', at: at('2026-11-24T01:00:00Z') }],
      commits: 7,
      pullRequestsOpened: 3,
      comments: 5,
    },
    path: {
      stage: 'FIRST_TIME_CONTRIBUTOR',
      since: at('2026-11-24T01:00:00Z'),
      next: { kind: 'regular', to: 'REGULAR_CONTRIBUTOR', needed: 2, withinWeeks: 11, minWeeks: 3, windowWeeks: 12 },
      lapsesAt: null,
      rank: { position: 3, of: 57 },
    },
    nextSteps: {
      issues: [
        { repository: 'RWKV/rwkv.cpp', number: 201, title: 'Document the Python bindings', url: 'https://github.com/RWKV/rwkv.cpp/issues/201', labels: ['good first issue'], openedAt: at('2026-11-20T08:00:00Z') },
        { repository: 'BlinkDL/RWKV-LM', number: 250, title: 'Example notebook for fine-tuning', url: 'https://github.com/BlinkDL/RWKV-LM/issues/250', labels: ['Help Wanted'], openedAt: at('2026-11-18T08:00:00Z') },
      ],
      hackathons: [
        {
          slug: 'rwkv-winter-2026',
          name: 'RWKV Winter Hackathon',
          startsAt: at('2026-12-12T01:00:00Z'),
          endsAt: at('2026-12-14T01:00:00Z'),
          registrationClosesAt: at('2026-12-10T15:59:00Z'),
          registrationOpen: true,
          registered: false,
        },
      ],
      teams: [
        {
          hackathon: 'RWKV Autumn Sprint',
          team: 'Tiny Recurrent',
          allocations: [{ resource: 'A100 pool', kind: 'gpu_hours', units: 40, sponsor: 'Recursal' }],
          result: { rank: 2, of: 14, score: 81.5 },
        },
      ],
    },
    community: {
      firstTimers: [
        { name: 'Mei Chen', login: 'meichen' },
        { name: 'Arjun', login: 'arjun-dev' },
        { name: 'Dev 3', login: null },
      ],
      firstTimerCount: 11,
      releases: [{ repository: 'josStorer/RWKV-Runner', tag: 'v1.9.0', name: 'RWKV-Runner 1.9', url: 'https://github.com/josStorer/RWKV-Runner/releases/tag/v1.9.0', at: at('2026-11-27T12:00:00Z') }],
    },
  };
}
