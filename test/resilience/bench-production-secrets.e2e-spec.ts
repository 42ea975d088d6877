import { DEVELOPMENT_SECRETS_KEY, loadConfig } from '#libs/config';
import { productionSecrets } from '../../bench/lib/production-secrets.js';

/**
 * bench/lib/production-secrets.ts: the benchmarks that run the api and workers in production mode pass
 * on the caller's own CAMBRIAN_SECRETS_KEY. A developer's shell may well set it to the public development
 * key (accepted by loadConfig in development); production refuses that key ("is the public development
 * key"), so the benchmark must make a key of its own instead, or the soak and webhooks benchmarks fail
 * at start.
 */
describe('bench production secrets', () => {
  it('never hands the public development key to the production processes', () => {
    const callerConfig = loadConfig({ NODE_ENV: 'development', CAMBRIAN_SECRETS_KEY: DEVELOPMENT_SECRETS_KEY });
    const secrets = productionSecrets(callerConfig);
    let problem = '';
    try {
      loadConfig({ NODE_ENV: 'production', ...secrets.env, GITHUB_WEBHOOK_SECRETS: 'soak-webhook-secret' });
    } catch (error) {
      problem = (error as Error).message;
    }
    expect(problem).not.toContain('CAMBRIAN_SECRETS_KEY');
  });
});
