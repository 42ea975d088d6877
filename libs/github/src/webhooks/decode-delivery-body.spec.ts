import { decodeDeliveryBody } from './decode-delivery-body.js';
import { WebhookExceptionCode } from './webhook.exception.js';

const JSON_TEXT = String.raw`{"action":"created","comment":{"body":"done \u001B[32mOK \u2665 a+b=c & d"}}`;
const form = (text: string) => Buffer.from(`payload=${encodeURIComponent(text)}`);

describe('decodeDeliveryBody', () => {
  it.each([
    ['application/json', Buffer.from(JSON_TEXT), 'application/json'],
    ['application/json with a charset', Buffer.from(JSON_TEXT), 'application/json; charset=utf-8'],
    ['W2: application/x-www-form-urlencoded', form(JSON_TEXT), 'application/x-www-form-urlencoded'],
    ['W2: a form with + for spaces', Buffer.from(`payload=${encodeURIComponent(JSON_TEXT).replace(/%20/g, '+')}`), 'application/x-www-form-urlencoded'],
  ])('decodes %s, keeping the JSON text as sent', (_label, raw, contentType) => {
    const decoded = decodeDeliveryBody(raw, contentType);
    expect(decoded.payloadText).toBe(JSON_TEXT);
    expect(decoded.payload).toEqual(JSON.parse(JSON_TEXT));
  });

  it.each([
    ['invalid JSON', Buffer.from('{"action":'), 'application/json', WebhookExceptionCode.INVALID_PAYLOAD, 'not valid JSON'],
    ['a JSON array', Buffer.from('[1]'), 'application/json', WebhookExceptionCode.INVALID_PAYLOAD, 'not a JSON object'],
    ['JSON null', Buffer.from('null'), 'application/json', WebhookExceptionCode.INVALID_PAYLOAD, 'not a JSON object'],
    ['a form without payload', Buffer.from('other=1'), 'application/x-www-form-urlencoded', WebhookExceptionCode.INVALID_PAYLOAD, 'no payload field'],
    ['a form with invalid JSON', form('{'), 'application/x-www-form-urlencoded', WebhookExceptionCode.INVALID_PAYLOAD, 'not valid JSON'],
    ['text/plain', Buffer.from(JSON_TEXT), 'text/plain', WebhookExceptionCode.UNSUPPORTED_MEDIA_TYPE, 'text/plain'],
    ['no content type', Buffer.from(JSON_TEXT), undefined, WebhookExceptionCode.UNSUPPORTED_MEDIA_TYPE, '(none)'],
  ])('refuses %s', (_label, raw, contentType, code, message) => {
    expect(() => decodeDeliveryBody(raw, contentType)).toThrow(expect.objectContaining({ code, message: expect.stringContaining(message) }));
  });
});
