import type { DigestLocale } from '../../digest.types.js';
import type { DigestMessages } from './digest-messages.js';
import { en } from './en.js';
import { zhCn } from './zh-cn.js';

export type { DigestMessages } from './digest-messages.js';

/** The message catalogue of each digest locale. */
export const DIGEST_MESSAGES: Record<DigestLocale, DigestMessages> = { en, 'zh-CN': zhCn };
