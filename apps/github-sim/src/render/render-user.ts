import type { Account } from '../seed/accounts.js';
import { legacyNodeId } from '../seed/ids.js';
import type { JsonObject, UrlContext } from './github-json.types.js';

/**
 * GitHub's "simple-user" object (owner, author, user, sender fields). Bots get `html_url`
 * `https://github.com/apps/<name>` as GitHub renders them; API URLs point at the sim.
 */
export function renderSimpleUser(account: Account, ctx: UrlContext): JsonObject {
  const path = encodeURIComponent(account.login);
  const api = `${ctx.apiUrl}/users/${path}`;
  const html = account.type === 'Bot' ? `${ctx.htmlUrl}/apps/${encodeURIComponent(account.login.replace(/\[bot\]$/i, ''))}` : `${ctx.htmlUrl}/${path}`;
  return {
    login: account.login,
    id: account.id,
    node_id: legacyNodeId(account.type, account.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: html,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: account.type,
    user_view_type: 'public',
    site_admin: false,
  };
}
