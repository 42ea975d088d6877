import { randomBytes } from 'node:crypto';
import { DEVELOPMENT_SECRETS_KEY, type CambrianConfig } from '#libs/config';
import { secretBoxFromConfig, type SecretBox } from '#libs/secrets';

/**
 * The secrets key of a benchmark that runs the api or workers in production mode, where
 * CAMBRIAN_SECRETS_KEY is required and the public development key is refused: the caller's own
 * CAMBRIAN_SECRETS_KEY when set to a key of their own, else (unset, or the development key) 32
 * random bytes (base64) for this run only. `box` is the
 * secrets box under that key, for sealing the erasure hash key of the benchmark's fresh database
 * (`recreateDatabase`); `env` goes into the environment of every child process, so that they open it.
 */
export function productionSecrets(config: Pick<CambrianConfig, 'CAMBRIAN_SECRETS_KEY' | 'CAMBRIAN_SECRETS_OLD_KEYS'>): {
  box: SecretBox;
  env: { CAMBRIAN_SECRETS_KEY: string };
} {
  const own = config.CAMBRIAN_SECRETS_KEY?.trim();
  const key = own && own !== DEVELOPMENT_SECRETS_KEY ? own : randomBytes(32).toString('base64');
  return {
    box: secretBoxFromConfig({ NODE_ENV: 'production', CAMBRIAN_SECRETS_KEY: key, CAMBRIAN_SECRETS_OLD_KEYS: config.CAMBRIAN_SECRETS_OLD_KEYS }),
    env: { CAMBRIAN_SECRETS_KEY: key },
  };
}
