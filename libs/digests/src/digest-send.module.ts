import { Inject, Module, type DynamicModule, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { QueueModule } from '#libs/queue';
import { createDigestMailTransport } from './send/create-mail-transport.js';
import { DIGEST_DEFAULTS, type DigestDefaultsLookup } from './send/digest-defaults.js';
import { DigestLedgerService } from './send/digest-ledger.service.js';
import { DigestPlannerService } from './send/digest-planner.service.js';
import { DigestSenderService } from './send/digest-sender.service.js';
import { EmailPreferenceService } from './send/email-preference.service.js';
import { DIGEST_MAIL_TRANSPORT, type DigestMailTransport } from './send/mail-transport.js';
import { UnsubscribeListService } from './send/unsubscribe-list.service.js';

const SERVICES = [EmailPreferenceService, DigestLedgerService, DigestPlannerService, UnsubscribeListService];

/**
 * Who gets a digest and when: e-mail preferences (unsubscribe, bounces, the list of unsubscribed members), the send ledger and the planner
 * (queue `digests`). No SMTP here: apps/api uses this for the unsubscribe and preferences routes and the
 * GraphQL ledger. Needs the DatabaseModule and Redis.
 */
@Module({
  imports: [QueueModule],
  providers: SERVICES,
  exports: SERVICES,
})
export class DigestSendModule {}

/** Closes the SMTP pool (and the rate limiter's Redis connection) when the application stops. */
class DigestMailTransportCloser implements OnApplicationShutdown {
  constructor(@Inject(DIGEST_MAIL_TRANSPORT) private readonly transport: DigestMailTransport) {}

  async onApplicationShutdown(): Promise<void> {
    await this.transport.close();
  }
}

/**
 * Sending digests ({@link DigestSenderService}): the transport of the configuration (SMTP_URL, else the file
 * outbox) and the composer of `composerModule`, which must export a provider of DIGEST_COMPOSER
 * (the digest compose module; tests pass a module of their own).
 * @param defaults a class `composerModule` exports with the {@link DigestDefaultsLookup} shape (the ecosystem
 *   defaults of the compose module); without it, members who chose no locale get English
 */
@Module({})
export class DigestDeliveryModule {
  static register(composerModule: Type<unknown> | DynamicModule, defaults?: Type<DigestDefaultsLookup>): DynamicModule {
    return {
      module: DigestDeliveryModule,
      imports: [DigestSendModule, composerModule],
      providers: [
        defaults ? { provide: DIGEST_DEFAULTS, useExisting: defaults } : { provide: DIGEST_DEFAULTS, useValue: null },
        { provide: DIGEST_MAIL_TRANSPORT, inject: [CAMBRIAN_CONFIG], useFactory: (config: CambrianConfig) => createDigestMailTransport(config) },
        DigestMailTransportCloser,
        DigestSenderService,
      ],
      exports: [DigestSendModule, DigestSenderService, DIGEST_MAIL_TRANSPORT],
    };
  }
}
