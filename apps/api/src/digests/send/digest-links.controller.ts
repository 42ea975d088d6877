import { Body, Catch, Controller, Get, HttpCode, HttpStatus, Inject, Post, Query, Res, UseFilters, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { DigestSendException, DigestSendExceptionCode, EmailPreferenceService, verifyDigestToken } from '#libs/digests';
import { errorPage, preferencesPage, unsubscribeConfirmPage, unsubscribedPage } from './preference-pages.js';

const STATUS: Partial<Record<DigestSendExceptionCode, HttpStatus>> = {
  [DigestSendExceptionCode.TOKEN_INVALID]: HttpStatus.BAD_REQUEST,
  [DigestSendExceptionCode.TOKEN_REFUSED]: HttpStatus.FORBIDDEN,
  [DigestSendExceptionCode.MEMBER_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [DigestSendExceptionCode.PREFERENCES_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [DigestSendExceptionCode.PREFERENCES_INVALID]: HttpStatus.BAD_REQUEST,
};

/** Answers a refused link with a small HTML page naming the problem: 400 malformed, 403 not valid, 404 unknown. */
@Catch(DigestSendException)
export class DigestLinkExceptionFilter implements ExceptionFilter {
  catch(exception: DigestSendException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply
      .status(STATUS[exception.code] ?? HttpStatus.BAD_REQUEST)
      .header('content-type', 'text/html; charset=utf-8')
      .header('x-error-code', exception.code)
      .send(errorPage(exception.message));
  }
}

/** The one-click body of RFC 8058 §3.2, urlencoded (parsed) or multipart/form-data (raw text). */
function isOneClick(body: unknown): boolean {
  if (typeof body === 'string') return /name="?List-Unsubscribe"?\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n/i.test(body);
  return typeof body === 'object' && body !== null && (body as Record<string, unknown>)['List-Unsubscribe'] === 'One-Click';
}

const TIME_ZONES: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];

/**
 * The links of a digest, without a login (the signed per-member token is the credential):
 * - `GET /unsubscribe?token=` — a confirmation page with a button; a GET never unsubscribes (mail scanners
 *   prefetch links);
 * - `POST /unsubscribe?token=` with `List-Unsubscribe=One-Click` (RFC 8058; urlencoded or multipart) —
 *   unsubscribes, 200;
 * - `GET /preferences?token=` and `POST /preferences?token=` — opt in or out, language, time zone.
 * A missing or malformed token is answered 400, a token that does not verify (or is for the other route) 403.
 */
@Controller()
@UseFilters(DigestLinkExceptionFilter)
export class DigestLinksController {
  constructor(
    private readonly preferences: EmailPreferenceService,
    @Inject(CAMBRIAN_CONFIG) private readonly config: CambrianConfig,
  ) {}

  @Get('unsubscribe')
  async confirmUnsubscribe(@Query('token') token: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const memberId = verifyDigestToken(this.config.DIGEST_TOKEN_SECRETS, 'unsubscribe', token);
    const preferences = await this.require(memberId);
    this.html(reply, HttpStatus.OK, unsubscribeConfirmPage(preferences, `unsubscribe?token=${encodeURIComponent(token!)}`));
  }

  @Post('unsubscribe')
  @HttpCode(HttpStatus.OK)
  async unsubscribe(@Query('token') token: string | undefined, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const memberId = verifyDigestToken(this.config.DIGEST_TOKEN_SECRETS, 'unsubscribe', token);
    if (!isOneClick(body)) {
      throw new DigestSendException('An unsubscribe POST carries the body List-Unsubscribe=One-Click (RFC 8058)', DigestSendExceptionCode.PREFERENCES_INVALID);
    }
    this.html(reply, HttpStatus.OK, unsubscribedPage(await this.preferences.unsubscribe(memberId)));
  }

  @Get('preferences')
  async showPreferences(@Query('token') token: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const memberId = verifyDigestToken(this.config.DIGEST_TOKEN_SECRETS, 'preferences', token);
    this.html(reply, HttpStatus.OK, preferencesPage(await this.require(memberId), `preferences?token=${encodeURIComponent(token!)}`, TIME_ZONES, false));
  }

  @Post('preferences')
  @HttpCode(HttpStatus.OK)
  async savePreferences(@Query('token') token: string | undefined, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const memberId = verifyDigestToken(this.config.DIGEST_TOKEN_SECRETS, 'preferences', token);
    await this.require(memberId);
    const form = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    const saved = await this.preferences.set(memberId, {
      digestOptIn: form.digestOptIn === 'on' || form.digestOptIn === 'true',
      locale: text('locale') ?? undefined,
      timeZone: text('timeZone'),
    });
    this.html(reply, HttpStatus.OK, preferencesPage(saved, `preferences?token=${encodeURIComponent(token!)}`, TIME_ZONES, true));
  }

  private async require(memberId: string) {
    const preferences = await this.preferences.get(memberId);
    if (!preferences) throw new DigestSendException(`Member ${memberId} has no e-mail preferences`, DigestSendExceptionCode.PREFERENCES_NOT_FOUND);
    return preferences;
  }

  private html(reply: FastifyReply, status: HttpStatus, body: string): void {
    void reply.status(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  }
}
