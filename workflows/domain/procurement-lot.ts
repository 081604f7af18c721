/**
 * A lot (包) as a procurement project states it (issue 9 item 1): the service period of R2.4 (at most
 * serviceYears.standard, or serviceYears.extended with a reason) and plain sanity of its figures. Pure.
 */
import type { Problem } from '../contracts/common';
import type { LotSpec } from '../contracts/procurement';
import type { ProcurementParameters } from './policy';

const LEVELS = ['1', '2', '3', '4', '5'];

/** What is wrong with a lot, each problem in both languages; fields are named `lots[<index>].<field>`. */
export function lotProblems(lot: LotSpec, index: number, params: ProcurementParameters): Problem[] {
  const at = (field: string) => `lots[${index}].${field}`;
  const problems: Problem[] = [];
  const positiveInteger = (value: number, field: string, zh: string) => {
    if (!Number.isSafeInteger(value) || value <= 0) {
      problems.push({ field: at(field), problem: 'must be a positive whole number', problemZh: `${zh}须为正整数` });
    }
  };
  positiveInteger(lot.number, 'number', '包号');
  positiveInteger(lot.trainees, 'trainees', '培训人数');
  positiveInteger(lot.ceilingPricePerPersonFen, 'ceilingPricePerPersonFen', '每人最高限价（分）');
  if (!Array.isArray(lot.levels) || lot.levels.length === 0 || lot.levels.some((l) => !LEVELS.includes(l))) {
    problems.push({ field: at('levels'), problem: "one or more levels from '1' to '5'", problemZh: "须列出一个或多个等级（'1'–'5'）" });
  }
  const standard = params.serviceYears.standard * 12;
  const extended = params.serviceYears.extended * 12;
  const reason = lot.serviceMonthsReason?.trim() ?? '';
  if (!Number.isInteger(lot.serviceMonths) || lot.serviceMonths <= 0 || lot.serviceMonths > extended) {
    problems.push({
      field: at('serviceMonths'),
      problem: `R2.4: the service period is 1 to ${standard} months, or up to ${extended} with a reason`,
      problemZh: `R2.4：服务期限为1至${standard}个月，说明理由的最长${extended}个月`,
    });
  } else if (lot.serviceMonths > standard && reason === '') {
    problems.push({
      field: at('serviceMonthsReason'),
      problem: `R2.4: a service period over ${standard} months needs a reason`,
      problemZh: `R2.4：服务期限超过${standard}个月须说明理由`,
    });
  }
  return problems;
}
