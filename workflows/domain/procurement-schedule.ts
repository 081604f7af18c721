/**
 * A competitive selection's dates (R9.1 open tender, R9.3 negotiation, R9.4 consultation) on the terms of
 * R9.9: a period starts on the day after its event; a period in days (DAYS/MONTHS/YEARS) whose last day is not
 * a working day ends on the next working day; working days follow the official calendar with 调休.
 *
 * "At least N after the event" is met on the period's last day: a bid deadline may fall on the 20th day after
 * the documents were first issued. Pure: no clock, no Intl; every figure comes from ProcurementParameters.
 */
import type { ProcurementMethod, ProcurementSchedule, ScheduleProblem } from '../contracts/procurement';
import type { Problem } from '../contracts/common';
import { addDays, periodEnd, type PolicyPeriod, shanghaiDate, startOfShanghaiDay, type WorkCalendar } from './calendar';
import type { ProcurementParameters } from './policy';

/** The rule each method's dates come from. */
export const SCHEDULE_RULE: Record<ProcurementMethod, string> = {
  OPEN_TENDER: 'R9.1',
  COMPETITIVE_NEGOTIATION: 'R9.3',
  COMPETITIVE_CONSULTATION: 'R9.4',
};

/**
 * The earliest instant that is "at least `period` after" an event (R9.9): 00:00 Asia/Shanghai of the period's
 * last day (DAYS/MONTHS/YEARS ending on a day off roll to the next working day unless rollOverNonWorkingDay is
 * false); for SECONDS, eventAt plus the seconds. Never before the event itself (a period of 0).
 */
export function earliestAfter(
  eventAt: Date,
  period: PolicyPeriod,
  cal: WorkCalendar,
  opts: { rollOverNonWorkingDay?: boolean } = {},
): Date {
  const end = periodEnd(eventAt, period, cal, opts);
  if (period.unit === 'SECONDS') return end;
  // periodEnd is 00:00 of the day after the last day; Shanghai has no DST, so the last day starts 24 h earlier.
  const lastDayStart = startOfShanghaiDay(addDays(shanghaiDate(end), -1));
  return lastDayStart.getTime() < eventAt.getTime() ? eventAt : lastDayStart;
}

/**
 * The earliest instant ≥ `min` at the requested instant's Shanghai time of day, on min's own date; if that time
 * has passed on that date, `min` itself. A minimum from a SECONDS period is exact and taken as it is.
 */
export function keepingTimeOfDay(min: Date, requested: Date, exact = false): Date {
  if (exact) return min;
  const timeOfDay = requested.getTime() - startOfShanghaiDay(shanghaiDate(requested)).getTime();
  const candidate = new Date(startOfShanghaiDay(shanghaiDate(min)).getTime() + timeOfDay);
  return candidate.getTime() >= min.getTime() ? candidate : min;
}

/** A strict ISO instant with a zone: 2026-09-01T09:00:00+08:00 or …Z. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseInstant(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

const FIELDS: (keyof ProcurementSchedule)[] = ['documentsFrom', 'documentsUntil', 'responseDeadline'];

/** Fields of a schedule that are not ISO instants with a zone (the API refuses these before any date rule). */
export function scheduleFormatProblems(schedule: Partial<Record<keyof ProcurementSchedule, unknown>> | null | undefined): Problem[] {
  const problems: Problem[] = [];
  for (const field of FIELDS) {
    if (parseInstant(schedule?.[field]) === null) {
      problems.push({
        field: `schedule.${field}`,
        problem: 'must be an ISO date-time with a zone, e.g. 2026-09-01T09:00:00+08:00',
        problemZh: '须为带时区的 ISO 日期时间，例如 2026-09-01T09:00:00+08:00',
      });
    }
  }
  return problems;
}

function instant(value: string, field: string): Date {
  const d = parseInstant(value);
  if (!d) throw new Error(`procurement schedule: ${field} must be an ISO date-time with a zone, got ${JSON.stringify(value)}`);
  return d;
}

const later = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);

/** A period in words, for messages. */
function describe(period: PolicyPeriod): { en: string; zh: string } {
  switch (period.unit) {
    case 'SECONDS':
      return { en: `${period.amount} seconds`, zh: `${period.amount}秒` };
    case 'DAYS':
      return { en: `${period.amount} days`, zh: `${period.amount}日` };
    case 'WORKING_DAYS':
      return { en: `${period.amount} working days`, zh: `${period.amount}个工作日` };
    case 'MONTHS':
      return { en: `${period.amount} months`, zh: `${period.amount}个月` };
    case 'YEARS':
      return { en: `${period.amount} years`, zh: `${period.amount}年` };
  }
}

/** One lower bound on a field: the instant it may not precede, and the rule that sets it. */
interface Bound {
  field: keyof ProcurementSchedule;
  min: Date;
  exact: boolean;
  problem: string;
  problemZh: string;
}

/** The bounds on each field given the values already fixed for the fields before it. */
function boundsOn(
  field: keyof ProcurementSchedule,
  method: ProcurementMethod,
  fixed: { documentsFrom: Date; documentsUntil: Date },
  publishAt: Date,
  params: ProcurementParameters,
  cal: WorkCalendar,
): Bound[] {
  const bounds: Bound[] = [];
  if (field === 'documentsFrom') {
    bounds.push({
      field,
      min: publishAt,
      exact: true,
      problem: 'the documents cannot be on offer before the notice is published',
      problemZh: '采购文件的发出时间不得早于公告发布时间',
    });
  } else if (field === 'documentsUntil') {
    bounds.push({
      field,
      min: fixed.documentsFrom,
      exact: true,
      problem: 'the documents stop being on offer before they are first issued',
      problemZh: '采购文件的发售截止时间早于开始发出时间',
    });
    const documentsPeriod = params.minDocumentsPeriod[method];
    if (documentsPeriod) {
      const p = describe(documentsPeriod);
      bounds.push({
        field,
        min: earliestAfter(fixed.documentsFrom, documentsPeriod, cal),
        exact: documentsPeriod.unit === 'SECONDS',
        problem: `the documents must be on offer for at least ${p.en} from their first issue`,
        problemZh: `采购文件的提供期限自开始发出之日起不得少于${p.zh}`,
      });
    }
    if (method === 'OPEN_TENDER') {
      const p = describe(params.tenderAnnouncement);
      bounds.push({
        field,
        min: earliestAfter(publishAt, params.tenderAnnouncement, cal),
        exact: params.tenderAnnouncement.unit === 'SECONDS',
        problem: `the tender announcement stays up ${p.en}, and the documents must be on offer until it ends`,
        problemZh: `招标公告期限为${p.zh}，招标文件须提供至公告期满`,
      });
    }
  } else {
    const responsePeriod = params.minResponsePeriod[method];
    const p = describe(responsePeriod);
    bounds.push({
      field,
      min: earliestAfter(fixed.documentsFrom, responsePeriod, cal),
      exact: responsePeriod.unit === 'SECONDS',
      problem: `the response deadline must be at least ${p.en} after the documents are first issued`,
      problemZh: `自采购文件开始发出之日起至提交响应文件截止之日止不得少于${p.zh}`,
    });
    bounds.push({
      field,
      min: fixed.documentsUntil,
      exact: true,
      problem: 'the response deadline comes before the documents stop being on offer',
      problemZh: '提交响应文件截止时间早于采购文件发售截止时间',
    });
  }
  return bounds;
}

/** The proposal field by field, and which bounds the requested schedule breaks (evaluated on its own values). */
function evaluate(
  method: ProcurementMethod,
  schedule: ProcurementSchedule,
  publishAt: Date,
  params: ProcurementParameters,
  cal: WorkCalendar,
): { proposal: Record<keyof ProcurementSchedule, Date>; broken: Bound[] } {
  const requested = {
    documentsFrom: instant(schedule.documentsFrom, 'documentsFrom'),
    documentsUntil: instant(schedule.documentsUntil, 'documentsUntil'),
    responseDeadline: instant(schedule.responseDeadline, 'responseDeadline'),
  };
  const proposal = { ...requested };
  const broken: Bound[] = [];
  for (const field of FIELDS) {
    // Rules broken by the request itself, against the requested values of the earlier fields.
    for (const b of boundsOn(field, method, requested, publishAt, params, cal)) {
      if (requested[field].getTime() < b.min.getTime()) broken.push(b);
    }
    // The proposal: the earliest value keeping the requested time of day, given the earlier fields as proposed.
    for (const b of boundsOn(field, method, proposal, publishAt, params, cal)) {
      if (proposal[field].getTime() < b.min.getTime()) {
        proposal[field] = later(proposal[field], keepingTimeOfDay(b.min, requested[field], b.exact));
      }
    }
  }
  return { proposal, broken };
}

/**
 * The rules a requested schedule breaks (R9.1/R9.3/R9.4 on R9.9 terms), each with the earliest valid value of
 * its field: the value proposeSchedule gives it, at the requested time of day. Empty when the schedule is valid.
 * Throws on a field that is not an ISO instant (check scheduleFormatProblems first).
 */
export function scheduleProblems(
  method: ProcurementMethod,
  schedule: ProcurementSchedule,
  publishAt: Date,
  params: ProcurementParameters,
  cal: WorkCalendar,
): ScheduleProblem[] {
  const { proposal, broken } = evaluate(method, schedule, publishAt, params, cal);
  return broken.map((b) => ({
    rule: SCHEDULE_RULE[method],
    field: b.field,
    problem: b.problem,
    problemZh: b.problemZh,
    earliest: proposal[b.field].toISOString(),
  }));
}

/**
 * The earliest valid schedule that keeps what is already valid: each field moves only later, to its earliest
 * valid value at the requested time of day; moving an earlier field may move a later one.
 */
export function proposeSchedule(
  method: ProcurementMethod,
  schedule: ProcurementSchedule,
  publishAt: Date,
  params: ProcurementParameters,
  cal: WorkCalendar,
): ProcurementSchedule {
  const { proposal } = evaluate(method, schedule, publishAt, params, cal);
  return {
    documentsFrom: proposal.documentsFrom.toISOString(),
    documentsUntil: proposal.documentsUntil.toISOString(),
    responseDeadline: proposal.responseDeadline.toISOString(),
  };
}

/**
 * R9.1 (Regs 31), R9.3, R9.4: a clarification or change that affects responses must come at least
 * clarificationLead before the response deadline; a later one moves the deadline to the earliest valid instant
 * at the same time of day.
 */
export function clarificationEffect(
  method: ProcurementMethod,
  clarifiedAt: Date,
  responseDeadline: string,
  params: ProcurementParameters,
  cal: WorkCalendar,
): { moves: boolean; newDeadline: string; rule: string } {
  const deadline = instant(responseDeadline, 'responseDeadline');
  const lead = params.clarificationLead[method];
  const min = earliestAfter(clarifiedAt, lead, cal);
  const rule = SCHEDULE_RULE[method];
  if (deadline.getTime() >= min.getTime()) return { moves: false, newDeadline: deadline.toISOString(), rule };
  return { moves: true, newDeadline: keepingTimeOfDay(min, deadline, lead.unit === 'SECONDS').toISOString(), rule };
}

/** R9.1 the instant the tender announcement's period ends (exclusive: 00:00 after its last day). */
export function tenderAnnouncementEnd(publishAt: Date, params: ProcurementParameters, cal: WorkCalendar): Date {
  return periodEnd(publishAt, params.tenderAnnouncement, cal);
}
