import { graphql } from '../../graphql/generated/index.js';

/** Who is signed in: how, as which GitHub login, with which roles (the header and the sign-in page). */
export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      kind
      githubLogin
      roles
    }
  }
`);
