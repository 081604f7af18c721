/**
 * Who may bid, and as what (R9.8, R9.10, R7.4; issue 9 item 3): SME status derived from the unified social credit
 * code where it can be, and the refusals of a bid for who bids or what it offers. Pure: "now" and the calendar
 * come in as arguments; figures from ProcurementParameters.
 */
import { periodEnd, type WorkCalendar } from './calendar';
import { validateCreditCode } from './credit-code';
import type { Refusal } from './filing-rules';
import type { ProcurementParameters } from './policy';

export type SmeBasis = 'PUBLIC_INSTITUTION' | 'PRIVATE_NON_ENTERPRISE' | 'DECLARED';

export interface SmeStatus {
  sme: boolean;
  /** true when the credit code decided it, whatever was declared */
  derived: boolean;
  basis: SmeBasis;
  message: string;
  messageZh: string;
}

/**
 * R9.10 (财库〔2020〕46号) only enterprises are small and micro enterprises: a code registered by the public-sector
 * establishment authority (登记管理部门代码 '1', 机构编制: 事业单位 and the like) or a private non-enterprise unit
 * (民办非企业单位, '5' then '2') is not an SME whatever is declared; an enterprise ('9') and any other registrant
 * take the declaration. Throws on a code that is not valid (the bid's code is validated before).
 */
export function smeStatus(creditCode: string, declared: boolean): SmeStatus {
  const check = validateCreditCode(creditCode);
  if (!check.ok) throw new Error(`smeStatus: not a valid unified social credit code (${check.problem})`);
  if (creditCode[0] === '1') {
    return {
      sme: false,
      derived: true,
      basis: 'PUBLIC_INSTITUTION',
      message: 'R9.10: a public institution (registered by the establishment authority) is not a small or micro enterprise',
      messageZh: 'R9.10：机构编制部门登记的单位（事业单位等）不属于中小企业',
    };
  }
  if (creditCode[0] === '5' && creditCode[1] === '2') {
    return {
      sme: false,
      derived: true,
      basis: 'PRIVATE_NON_ENTERPRISE',
      message: 'R9.10: a private non-enterprise unit (such as a non-profit private school) is not a small or micro enterprise',
      messageZh: 'R9.10：民办非企业单位不属于中小企业',
    };
  }
  return {
    sme: declared,
    derived: false,
    basis: 'DECLARED',
    message: declared ? 'R9.10: declared a small or micro enterprise' : 'R9.10: not declared a small or micro enterprise',
    messageZh: declared ? 'R9.10：声明为中小企业' : 'R9.10：未声明为中小企业',
  };
}

/** R9.8 (Law 77) a ban on taking part in government procurement, decided by the finance department. */
export interface FinanceBan {
  /** ISO instants: in force from `from` until `until` (exclusive); null until lifted */
  from: string;
  until: string | null;
  reason?: string;
}

/** R9.8 (Regs 19) a major illegal record (重大违法记录), such as a large fine. */
export interface MajorIllegalRecord {
  /** ISO instant of the decision */
  decidedAt: string;
  description: string;
}

/** A qualification requirement of the documents (资格条件). */
export interface Requirement {
  key: string;
  name: string;
  nameZh: string;
}

/** The requirements of the documents that the bidder's evidence does not meet. */
export function missingRequirements(required: readonly Requirement[], metKeys: readonly string[]): Requirement[] {
  const met = new Set(metKeys);
  return required.filter((r) => !met.has(r.key));
}

export interface BidFacts {
  at: Date;
  financeBans: readonly FinanceBan[];
  majorIllegalRecords: readonly MajorIllegalRecord[];
  /** R7.4 the institution is on the training blacklist */
  trainingBlacklisted: boolean;
  missingRequirements: readonly Requirement[];
  pricePerPersonFen: number;
  ceilingPricePerPersonFen: number;
}

/** Fen as yuan for messages: 123456 → '1234.56'. */
function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

function instant(value: string, what: string): number {
  const t = new Date(value).getTime();
  if (Number.isNaN(t)) throw new Error(`bidRefusals: ${what} is not an instant: ${JSON.stringify(value)}`);
  return t;
}

/**
 * Why a bid is refused (issue 9 item 3), every reason at once: a finance-department ban in force (R9.8, Law 77),
 * a major illegal record within majorIllegalLookback (R9.8, Regs 19), the training blacklist (R7.4, kept apart
 * from the finance ban), requirements not met (each one named), a price per person above the lot's ceiling.
 * Empty: the bid may be taken. Lateness is the caller's (DEADLINE_PASSED).
 */
export function bidRefusals(facts: BidFacts, params: ProcurementParameters, cal: WorkCalendar): Refusal[] {
  const at = facts.at.getTime();
  const refusals: Refusal[] = [];
  const ban = facts.financeBans.find((b) => instant(b.from, 'ban.from') <= at && (b.until === null || at < instant(b.until, 'ban.until')));
  if (ban) {
    const until = ban.until ? new Date(ban.until).toISOString() : null;
    refusals.push({
      code: 'BIDDER_BANNED',
      message: `R9.8: the finance department has banned this supplier from government procurement${until ? ` until ${until}` : ''}`,
      messageZh: `R9.8：该供应商被财政部门禁止参加政府采购活动${until ? `，期限至 ${until}` : ''}`,
    });
  }
  const record = facts.majorIllegalRecords.find((r) => {
    const decided = instant(r.decidedAt, 'record.decidedAt');
    // A look-back, not a deadline: no roll-over to a working day.
    const clears = periodEnd(new Date(decided), params.majorIllegalLookback, cal, { rollOverNonWorkingDay: false }).getTime();
    return decided <= at && at < clears;
  });
  if (record) {
    refusals.push({
      code: 'BIDDER_MAJOR_ILLEGAL_RECORD',
      message: `R9.8: a major illegal record within the look-back period (${record.description})`,
      messageZh: `R9.8：参加政府采购活动前规定期限内有重大违法记录（${record.description}）`,
    });
  }
  if (facts.trainingBlacklisted) {
    refusals.push({
      code: 'BIDDER_BLACKLISTED',
      message: 'R7.4: the institution is on the training blacklist',
      messageZh: 'R7.4：该机构已被列入培训黑名单',
    });
  }
  if (facts.missingRequirements.length > 0) {
    refusals.push({
      code: 'REQUIREMENTS_NOT_MET',
      message: `The bid does not meet ${facts.missingRequirements.length} qualification requirement(s) of the documents`,
      messageZh: `投标不满足采购文件规定的${facts.missingRequirements.length}项资格条件`,
      problems: facts.missingRequirements.map((r) => ({
        field: `requirements.${r.key}`,
        problem: `not met: ${r.name}`,
        problemZh: `不满足：${r.nameZh}`,
      })),
    });
  }
  for (const [name, fen] of [
    ['pricePerPersonFen', facts.pricePerPersonFen],
    ['ceilingPricePerPersonFen', facts.ceilingPricePerPersonFen],
  ] as const) {
    if (!Number.isSafeInteger(fen) || fen <= 0) throw new Error(`bidRefusals: ${name} must be positive fen, got ${fen}`);
  }
  if (facts.pricePerPersonFen > facts.ceilingPricePerPersonFen) {
    refusals.push({
      code: 'PRICE_ABOVE_CEILING',
      message: `The price per person (${yuan(facts.pricePerPersonFen)} yuan) is above the lot's ceiling (${yuan(facts.ceilingPricePerPersonFen)} yuan)`,
      messageZh: `每人报价（${yuan(facts.pricePerPersonFen)}元）超过本包最高限价（${yuan(facts.ceilingPricePerPersonFen)}元）`,
    });
  }
  return refusals;
}
