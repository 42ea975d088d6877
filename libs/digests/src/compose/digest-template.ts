import mjml2html from 'mjml';
import type { DigestLocale } from '../digest.types.js';

/** The parts of a digest's HTML that change from member to member, each a fragment of HTML (already escaped). */
export interface DigestSlots {
  /** Text of `<title>` (escaped). */
  title: string;
  /** Preview text shown by mail clients after the subject (escaped). */
  preheader: string;
  header: string;
  intro: string;
  yourWeek?: string;
  path?: string;
  nextSteps?: string;
  community?: string;
  footer: string;
}

/** The optional sections, in the order they appear. */
export const OPTIONAL_SECTIONS = ['yourWeek', 'path', 'nextSteps', 'community'] as const;
export type OptionalSection = (typeof OPTIONAL_SECTIONS)[number];

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', sans-serif";

/**
 * The digest as MJML (https://documentation.mjml.io): a header line, a white card with the greeting
 * and one block per present section, and a footer. Slot values are HTML fragments placed inside
 * `mj-text` (which MJML passes through as they are); a section whose slot is undefined is left out.
 * Styles are inline in the fragments (mail clients drop `<style>`): an inlined `mj-style` would
 * rewrite the fragments, and the compiled layout could no longer be filled as it is.
 */
export function digestMjml(lang: string, slots: DigestSlots): string {
  const sections = OPTIONAL_SECTIONS.filter((name) => slots[name] !== undefined)
    .map(
      (name) => `
    <mj-section background-color="#ffffff" padding="4px 32px 12px">
      <mj-column>
        <mj-divider border-color="#e8eaed" border-width="1px" padding="0 0 18px" />
        <mj-text>${slots[name]}</mj-text>
      </mj-column>
    </mj-section>`,
    )
    .join('');
  return `<mjml lang="${lang}">
  <mj-head>
    <mj-title>${slots.title}</mj-title>
    <mj-preview>${slots.preheader}</mj-preview>
    <mj-attributes>
      <mj-all font-family="${FONT}" />
      <mj-text font-size="15px" line-height="1.6" color="#1f2933" padding="0" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f2f4f3" width="620px">
    <mj-section padding="28px 32px 12px">
      <mj-column>
        <mj-text font-size="13px" color="#5f6b66">${slots.header}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" border-radius="14px 14px 0 0" padding="32px 32px 16px">
      <mj-column>
        <mj-text>${slots.intro}</mj-text>
      </mj-column>
    </mj-section>${sections}
    <mj-section background-color="#ffffff" border-radius="0 0 14px 14px" padding="0 32px 20px">
      <mj-column><mj-spacer height="4px" /></mj-column>
    </mj-section>
    <mj-section padding="20px 32px 36px">
      <mj-column>
        <mj-text font-size="12px" line-height="1.6" color="#6b7672" align="center">${slots.footer}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
}

/**
 * Compiles MJML to HTML with strict validation (MJML v5).
 * @throws Error listing MJML's validation errors
 */
export async function compileMjml(mjml: string): Promise<string> {
  const result = await mjml2html(mjml, { validationLevel: 'strict' });
  if (result.errors?.length) throw new Error(`Invalid MJML: ${result.errors.map((e) => e.formattedMessage).join('; ')}`);
  return result.html;
}

const TOKEN = (name: string) => `%%CAMBRIAN_SLOT_${name}%%`;
const TOKEN_PATTERN = /%%CAMBRIAN_SLOT_([a-zA-Z]+)%%/;

/** A compiled layout: literal HTML between slot names (`parts[odd]` are slot names). */
type CompiledLayout = string[];

/**
 * Compiles the layout once per locale and set of present sections and fills it per member.
 * MJML compiles a digest in tens of milliseconds; a digest differs from the next only in the
 * fragments inside `mj-text`, which MJML copies verbatim, so filling a compiled layout gives the
 * same HTML as compiling each digest (checked by render-digest.spec.ts) at a fraction of the cost.
 */
export class DigestLayoutCache {
  private readonly layouts = new Map<string, Promise<CompiledLayout>>();

  /** The HTML of `slots` in `lang`. */
  async html(locale: DigestLocale, lang: string, slots: DigestSlots): Promise<string> {
    const present = OPTIONAL_SECTIONS.filter((name) => slots[name] !== undefined);
    const key = `${locale}|${present.join(',')}`;
    let layout = this.layouts.get(key);
    if (!layout) {
      const tokens: DigestSlots = { title: TOKEN('title'), preheader: TOKEN('preheader'), header: TOKEN('header'), intro: TOKEN('intro'), footer: TOKEN('footer') };
      for (const name of present) tokens[name] = TOKEN(name);
      layout = compileMjml(digestMjml(lang, tokens)).then((html) => html.split(TOKEN_PATTERN));
      this.layouts.set(key, layout);
      layout.catch(() => this.layouts.delete(key));
    }
    const parts = await layout;
    let html = parts[0];
    for (let i = 1; i < parts.length; i += 2) html += (slots[parts[i] as keyof DigestSlots] ?? '') + parts[i + 1];
    return html;
  }
}
