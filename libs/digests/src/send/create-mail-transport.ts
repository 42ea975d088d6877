import { Redis, type RedisOptions } from 'ioredis';
import type { CambrianConfig } from '#libs/config';
import { redisConnectionOptions } from '#libs/queue';
import { FileOutboxTransport, SmtpDigestTransport, type DigestMailTransport } from './mail-transport.js';
import { SmtpRateLimiter } from './smtp-rate-limiter.js';

/**
 * The transport of the configuration: with SMTP_URL, nodemailer's pooled SMTP transport
 * (SMTP_MAX_CONNECTIONS) behind the Redis sliding window of SMTP_RATE_LIMIT messages per
 * SMTP_RATE_WINDOW_MS (key `<QUEUE_PREFIX>:digests:smtp-rate:<host:port>`, shared by every worker);
 * without it, the file outbox in MAIL_OUTBOX_DIR. `close()` ends the pool and the Redis connection.
 */
export function createDigestMailTransport(config: CambrianConfig): DigestMailTransport {
  if (!config.SMTP_URL) return new FileOutboxTransport(config.MAIL_OUTBOX_DIR);
  const redis = new Redis({ ...(redisConnectionOptions(config.REDIS_URL) as RedisOptions), maxRetriesPerRequest: 3 });
  const limiter = new SmtpRateLimiter({
    redis,
    key: `${config.QUEUE_PREFIX}:digests:smtp-rate:${new URL(config.SMTP_URL).host}`,
    max: config.SMTP_RATE_LIMIT,
    windowMs: config.SMTP_RATE_WINDOW_MS,
    leaseMs: config.DIGEST_SEND_LEASE_SECONDS * 1000,
  });
  const smtp = new SmtpDigestTransport({ url: config.SMTP_URL, maxConnections: config.SMTP_MAX_CONNECTIONS, limiter });
  return {
    description: smtp.description,
    deliver: (message, claim) => smtp.deliver(message, claim),
    async close() {
      await smtp.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
