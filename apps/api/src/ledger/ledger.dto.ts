// Fund requests — the special account (职业技能提升行动专账, R7.1/R7.2) and the employment fund (就业补助资金,
// R4.3): amounts are whole fen, regions GB/T 2260, `fund` names which (the special account by default).
import { z } from 'zod';
import { MAX_AMOUNT_FEN } from '../../../../workflows/domain/ledger-rules';
import { isRegionCode } from '../../../../workflows/domain/region';
import { pageQuery } from '../common/pagination';
import { bilingual } from '../common/zod';

const regionCode = z
  .string()
  .refine(
    (c) => isRegionCode(c) && c.startsWith('14'),
    bilingual('a region code of Shanxi (14xxxx, GB/T 2260)', '须为山西省行政区划代码（14xxxx）'),
  );

// z.number().int() also refuses unsafe integers, so no amount loses precision on its way to BigInt.
const amountFen = z
  .number(bilingual('a whole number of fen', '金额须为整数（分）'))
  .int(bilingual('a whole number of fen', '金额须为整数（分）'))
  .positive(bilingual('more than zero', '金额须大于零'))
  .max(MAX_AMOUNT_FEN, bilingual(`at most ${MAX_AMOUNT_FEN} fen`, `不得超过 ${MAX_AMOUNT_FEN} 分`));

const memo = z.string().trim().min(1).max(500);

/** SPECIAL 职业技能提升行动专账 (R7.1), EMPLOYMENT 就业补助资金 (R4.3 living allowance). */
const fund = z.enum(['SPECIAL', 'EMPLOYMENT'], bilingual('SPECIAL or EMPLOYMENT', '须为 SPECIAL（专账）或 EMPLOYMENT（就业补助资金）'));

export const fundQuery = z.strictObject({ region: regionCode.optional(), fund: fund.default('SPECIAL') });
export type FundQuery = z.infer<typeof fundQuery>;

export const entriesQuery = z.strictObject({ ...pageQuery, region: regionCode.optional(), fund: fund.default('SPECIAL') });
export type EntriesQuery = z.infer<typeof entriesQuery>;

/**
 * Finance moves unemployment-insurance surplus into the special account (R7.1), or 就业补助资金 into the
 * employment fund (R4.3); a county's code names its city's fund.
 */
export const allocationSchema = z.strictObject({ regionCode, fund: fund.default('SPECIAL'), amountFen, memo });
export type AllocationDto = z.infer<typeof allocationSchema>;

/** Recovered subsidy money returned to the fund that paid it (R7.4): a named claim's own fund, else `fund`. */
export const repaymentSchema = z.strictObject({
  institutionId: z.uuid(),
  regionCode,
  fund: fund.optional(),
  amountFen,
  claimId: z.uuid().optional(),
  memo,
});
export type RepaymentDto = z.infer<typeof repaymentSchema>;
