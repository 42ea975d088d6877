import { applyStageRulesPatch, DEFAULT_STAGE_RULES, parseStageRules, StageRulesException } from './stage-rules.js';

describe('stage rules', () => {
  it('keeps the fields a patch leaves out', () => {
    expect(applyStageRulesPatch(DEFAULT_STAGE_RULES, { regular: { minWeeks: 4 }, lapsed: { afterWeeks: undefined } })).toEqual({
      regular: { minWeeks: 4, windowWeeks: 12 },
      maintainer: { minMergesOfOthers: 1, minApprovalsOfOthers: 3 },
      lapsed: { afterWeeks: 26 },
    });
  });

  it.each([
    [{ regular: { minWeeks: 0 } }, /regular.minWeeks/],
    [{ regular: { minWeeks: 13 } }, /regular.minWeeks must not exceed regular.windowWeeks/],
    [{ regular: { windowWeeks: 2.5 } }, /regular.windowWeeks/],
    [{ maintainer: { minApprovalsOfOthers: 0 } }, /maintainer.minApprovalsOfOthers/],
    [{ lapsed: { afterWeeks: 1000 } }, /lapsed.afterWeeks/],
  ])('refuses %j with a message naming the rule', (patch, message) => {
    expect(() => applyStageRulesPatch(DEFAULT_STAGE_RULES, patch)).toThrow(message);
    expect(() => applyStageRulesPatch(DEFAULT_STAGE_RULES, patch)).toThrow(StageRulesException);
  });

  it('refuses stored rules with unknown or missing fields', () => {
    expect(() => parseStageRules({ ...DEFAULT_STAGE_RULES, extra: 1 })).toThrow(StageRulesException);
    expect(() => parseStageRules({ regular: DEFAULT_STAGE_RULES.regular })).toThrow(/maintainer/);
  });
});
