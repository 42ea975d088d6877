import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { EcosystemsQuery } from '../pages/ecosystem/ecosystem.operations.js';

/** The URL search parameter naming the chosen ecosystem by slug (`?ecosystem=<slug>`). */
export const ECOSYSTEM_PARAM = 'ecosystem';

/**
 * The ecosystem a page shows, kept in the URL (`?ecosystem=<slug>`), and the ecosystems to choose
 * from (`ecosystems { slug name repositoryCount }`, one cached request shared by the pages).
 * - `slug`: the URL's choice, else the first ecosystem the api lists; undefined while the list loads
 *   or when there is none.
 * - `choose(slug)`: puts `?ecosystem=<slug>` in the URL, replacing the other search parameters (a
 *   page's own, such as `?hackathon=`, belong to the former ecosystem).
 * - `fetching`, `error`, `retry()`: the state of the list, and a retry that asks the api again.
 */
export function useEcosystemParam() {
  const [params, setParams] = useSearchParams();
  const [list, refetchList] = useQuery({ query: EcosystemsQuery });
  const ecosystems = list.data?.ecosystems ?? [];
  const slug = params.get(ECOSYSTEM_PARAM) ?? ecosystems[0]?.slug;
  return {
    ecosystems,
    slug,
    fetching: list.fetching,
    error: list.error,
    retry: () => refetchList({ requestPolicy: 'network-only' }),
    choose: (value: string) => setParams({ [ECOSYSTEM_PARAM]: value }),
  };
}
