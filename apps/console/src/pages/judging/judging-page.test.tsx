import { render, screen } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { I18nextProvider } from 'react-i18next';
import { Provider as GraphqlProvider, type Client } from 'urql';
import { describe, expect, it } from 'vitest';
import { fromValue, never } from 'wonka';
import { changeLanguage, i18n } from '../../i18n/i18n.js';
import { JudgingPage } from './judging-page.js';

// antd's tables observe their size; jsdom has no ResizeObserver (nothing is laid out there)
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

const JUDGE = { viewer: { kind: 'SESSION', githubLogin: 'josStorer', roles: ['JUDGE', 'MEMBER'] } };

/** A client answering each operation by its name (never: still loading); records the variables it was asked with. */
function answeringByName(answers: Record<string, unknown>, asked: Array<{ name: string; variables: unknown }> = []): Client {
  const name = (query: DocumentNode) => (query.definitions.find((item) => item.kind === 'OperationDefinition') as OperationDefinitionNode).name!.value;
  return {
    executeQuery: (operation: { query: DocumentNode; variables: unknown }) => {
      asked.push({ name: name(operation.query), variables: operation.variables });
      const answer = answers[name(operation.query)];
      return answer === undefined ? never : fromValue({ data: answer, stale: false, hasNext: false });
    },
  } as unknown as Client;
}

function renderPage(client: Client) {
  return render(
    <I18nextProvider i18n={i18n}>
      <GraphqlProvider value={client}>
        <AntApp>
          <JudgingPage />
        </AntApp>
      </GraphqlProvider>
    </I18nextProvider>,
  );
}

const HACKATHON = {
  id: 'h1',
  slug: 'rwkv-hack',
  name: 'RWKV Hack',
  status: 'RUNNING',
  judgingCriteria: [{ id: 'c1', name: 'Impact', description: '', weight: 1, scaleMin: 1, scaleMax: 10 }],
  judgeAssignments: [{ submissionId: 's1' }],
  judgeScores: [],
  submissions: [
    { id: 's1', title: 'Faster RWKV kernels', repositoryUrl: 'https://github.com/alpha/kernels', team: { id: 't1', name: 'Alpha' } },
    // an organiser who also judges reads every submission; only the assigned one is listed
    { id: 's2', title: 'Not mine', repositoryUrl: null, team: { id: 't2', name: 'Beta' } },
  ],
};

describe('Judging page', () => {
  it('tells a signed-in member who judges nothing that they are not a judge, asking with their login', async () => {
    await changeLanguage('en');
    const asked: Array<{ name: string; variables: unknown }> = [];
    renderPage(answeringByName({ Viewer: JUDGE, JudgingWork: { viewer: { judgedHackathons: [] } } }, asked));
    expect(await screen.findByText(/You are not a judge of any hackathon\./)).toBeTruthy();
    expect(asked.find((item) => item.name === 'JudgingWork')?.variables).toEqual({ judge: 'josStorer' });
  });

  it('says so in Chinese too', async () => {
    await changeLanguage('zh-CN');
    renderPage(answeringByName({ Viewer: JUDGE, JudgingWork: { viewer: { judgedHackathons: [] } } }));
    expect(await screen.findByText(/你还不是任何黑客松的评委。/)).toBeTruthy();
  });

  it('asks the signed-out to sign in, without asking for judging work', async () => {
    await changeLanguage('en');
    const asked: Array<{ name: string; variables: unknown }> = [];
    renderPage(answeringByName({ Viewer: { viewer: { kind: 'ANONYMOUS', githubLogin: null, roles: [] } } }, asked));
    expect(await screen.findByText('Sign in with GitHub to score the submissions assigned to you.')).toBeTruthy();
    expect(asked.map((item) => item.name)).not.toContain('JudgingWork');
  });

  it('says judging has not opened yet, and lists only the submissions assigned to the judge', async () => {
    await changeLanguage('en');
    renderPage(answeringByName({ Viewer: JUDGE, JudgingWork: { viewer: { judgedHackathons: [HACKATHON] } } }));
    expect(await screen.findByText(/Judging opens when the organisers move the hackathon to judging\./)).toBeTruthy();
    expect(screen.getByText('Faster RWKV kernels')).toBeTruthy();
    expect(screen.getByText('Not scored')).toBeTruthy();
    expect(screen.queryByText('Not mine')).toBeNull();
  });
});
