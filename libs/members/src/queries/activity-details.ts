/** The public facts of an activity, read from its `facts` jsonb and source key. */
export interface ActivityDetails {
  title: string | null;
  number: number | null;
  sha: string | null;
  url: string | null;
}

const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/**
 * Picks the few facts shown publicly (title, number, SHA, URL) and nothing else: `facts` may
 * hold more (and source keys of co-author credits contain e-mail addresses), so neither is
 * exposed whole. A commit's SHA comes from `facts.sha` or its `commit:<sha>` source key.
 */
export function activityDetails(sourceKey: string, facts: Record<string, unknown> | null): ActivityDetails {
  const f = facts ?? {};
  const keySha = /^commit:([0-9a-f]{40})(?::|$)/.exec(sourceKey)?.[1] ?? null;
  const sha = str(f.sha);
  const url = str(f.url) ?? str(f.html_url) ?? str(f.htmlUrl);
  return {
    title: str(f.title) ?? str(f.headline) ?? str(f.messageHeadline) ?? str(f.message_headline),
    number: typeof f.number === 'number' && Number.isInteger(f.number) ? f.number : null,
    sha: sha && /^[0-9a-f]{40}$/.test(sha) ? sha : keySha,
    url: url && /^https?:\/\//.test(url) ? url : null,
  };
}
