import { useQuery } from 'urql';
import { ViewerQuery } from '../pages/sign-in/sign-in.operations.js';

/** Who is signed in (`viewer { kind githubLogin roles }`), shared by the header and the sign-in page (one request, cached). */
export function useViewer() {
  const [result, refetch] = useQuery({ query: ViewerQuery });
  return { viewer: result.data?.viewer, fetching: result.fetching, error: result.error, refetch };
}
