import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { WebhookException, WebhookExceptionCode } from '#libs/github';

const STATUS: Record<WebhookExceptionCode, HttpStatus> = {
  [WebhookExceptionCode.INVALID_SIGNATURE]: HttpStatus.UNAUTHORIZED,
  [WebhookExceptionCode.INVALID_HEADER]: HttpStatus.BAD_REQUEST,
  [WebhookExceptionCode.UNSUPPORTED_MEDIA_TYPE]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [WebhookExceptionCode.INVALID_PAYLOAD]: HttpStatus.BAD_REQUEST,
  [WebhookExceptionCode.STORAGE_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
};

/**
 * Maps {@link WebhookException} codes to HTTP: `{ statusCode, error, message }` with 401 for a
 * missing or wrong signature, 400 for a missing header or a payload that is not a JSON object,
 * 415 for a content type GitHub does not send, 503 when Postgres did not store the delivery.
 * Other errors go to Nest's default handling.
 */
@Catch(WebhookException)
export class WebhookExceptionFilter implements ExceptionFilter {
  catch(exception: WebhookException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const statusCode = STATUS[exception.code] ?? HttpStatus.BAD_REQUEST;
    void reply.status(statusCode).send({ statusCode, error: exception.code, message: exception.message });
  }
}
