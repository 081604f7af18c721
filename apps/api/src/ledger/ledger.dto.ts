// Special-account (职业技能提升行动专账, R7.1/R7.2) requests: amounts are whole fen, regions GB/T 2260.
import { z } from 'zod';
import { MAX_AMOUNT_FEN } from '../../../../workflows/domain/ledger';
import { isRegionCode } from '../../../../workflows/domain/region';
import { pageQuery } from '../common/pagination';
import { bilingual } from '../common/zod';

const regionCode = z
  .string()
  .refine((c) => isRegionCode(c) && c.startsWith('14'), bilingual('a region code of Shanxi (14xxxx, GB/T 2260)', '须为山西省行政区划代码（14xxxx）'));

// z.number().int() also refuses unsafe integers, so no amount loses precision on its way to BigInt.
const amountFen = z
  .number(bilingual('a whole number of fen', '金额须为整数（分）'))
  .int(bilingual('a whole number of fen', '金额须为整数（分）'))
  .positive(bilingual('more than zero', '金额须大于零'))
  .max(MAX_AMOUNT_FEN, bilingual(`at most ${MAX_AMOUNT_FEN} fen`, `不得超过 ${MAX_AMOUNT_FEN} 分`));

const memo = z.string().trim().min(1).max(500);

export const fundQuery = z.strictObject({ region: regionCode.optional() });
export type FundQuery = z.infer<typeof fundQuery>;

export const entriesQuery = z.strictObject({ ...pageQuery, region: regionCode.optional() });
export type EntriesQuery = z.infer<typeof entriesQuery>;

/** Finance moves unemployment-insurance surplus into a fund (R7.1); a county's code names its city's fund. */
export const allocationSchema = z.strictObject({ regionCode, amountFen, memo });
export type AllocationDto = z.infer<typeof allocationSchema>;

/** Recovered subsidy money returned to the fund that paid it (R7.4). */
export const repaymentSchema = z.strictObject({
  institutionId: z.uuid(),
  regionCode,
  amountFen,
  claimId: z.uuid().optional(),
  memo,
});
export type RepaymentDto = z.infer<typeof repaymentSchema>;
