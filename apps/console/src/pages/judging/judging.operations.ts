import { graphql } from '../../graphql/generated/index.js';

/**
 * The Judging page's one query: the hackathons the signed-in member judges, each with its criteria, the
 * member's own assignments and scores (`judge` is the member's GitHub login) and the submissions they may
 * read (for a judge: those assigned to them).
 */
export const JudgingWorkQuery = graphql(`
  query JudgingWork($judge: ID!) {
    viewer {
      judgedHackathons {
        id
        slug
        name
        status
        judgingCriteria {
          id
          name
          description
          weight
          scaleMin
          scaleMax
        }
        judgeAssignments(judge: $judge) {
          submissionId
        }
        judgeScores(judge: $judge) {
          submissionId
          criterionId
          value
          comment
        }
        submissions {
          id
          title
          repositoryUrl
          team {
            id
            name
          }
        }
      }
    }
  }
`);

/** Records (or replaces) the signed-in judge's value and comment for one criterion of one submission. */
export const ScoreSubmissionMutation = graphql(`
  mutation ScoreSubmission($hackathon: String!, $judge: ID!, $submission: ID!, $criterion: ID!, $value: Float!, $comment: String) {
    scoreSubmission(hackathon: $hackathon, judge: $judge, submission: $submission, criterion: $criterion, value: $value, comment: $comment) {
      submissionId
      criterionId
      value
      comment
    }
  }
`);
