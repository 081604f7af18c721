/**
 * A year's official holiday arrangement (放假安排, R9.9) as an administrator loads it: the days off and the
 * adjusted working days (调休上班), from JSON or a CSV with columns date,type,name. Pure: checks only.
 *
 * What is refused, so that a bad upload changes nothing: dates that are not real ISO dates or lie outside
 * the year; a date listed twice, or as both holiday and working day; a working day that is not a Saturday
 * or Sunday (an adjusted working day moves a weekend day, a weekday already is one); a year without any
 * holiday (the State Council notice always has some); an unknown type.
 */
import type { Problem } from '../contracts/common';
import { parseCsv } from './roster';

export type CalendarDayType = 'HOLIDAY' | 'WORKDAY';

export interface CalendarDay {
  date: string;
  type: CalendarDayType;
  name: string;
}

/** The years an arrangement may be loaded for. */
export const CALENDAR_YEAR_MIN = 2000;
export const CALENDAR_YEAR_MAX = 2100;
/** A year has 365 or 366 days; no arrangement lists more. */
export const MAX_ARRANGEMENT_DAYS = 366;
const MAX_NAME = 100;

const TYPES = new Map<string, CalendarDayType>(
  Object.entries({
    holiday: 'HOLIDAY',
    休: 'HOLIDAY',
    假: 'HOLIDAY',
    节假日: 'HOLIDAY',
    放假: 'HOLIDAY',
    workday: 'WORKDAY',
    班: 'WORKDAY',
    上班: 'WORKDAY',
    调休上班: 'WORKDAY',
  }) as [string, CalendarDayType][],
);
const HEADERS: Record<'date' | 'type' | 'name', string[]> = {
  date: ['date', '日期'],
  type: ['type', '类型'],
  name: ['name', '名称', '节日'],
};

/** A day as uploaded, before checks: `field` is where a problem is reported. */
export interface RawCalendarDay {
  field: string;
  date: unknown;
  type: unknown;
  name: unknown;
}

function isRealIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const t = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return t.getUTCFullYear() === +m[1] && t.getUTCMonth() === +m[2] - 1 && t.getUTCDate() === +m[3];
}

/** JSON {holidays:[…], workdays:[…]}: each item a date, or {date, name}. */
export function arrangementFromJson(body: { holidays: unknown[]; workdays: unknown[] }): RawCalendarDay[] {
  const item = (v: unknown, type: CalendarDayType, field: string): RawCalendarDay =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? { field, date: (v as Record<string, unknown>).date, type, name: (v as Record<string, unknown>).name ?? '' }
      : { field, date: v, type, name: '' };
  return [
    ...body.holidays.map((v, i) => item(v, 'HOLIDAY', `holidays[${i}]`)),
    ...body.workdays.map((v, i) => item(v, 'WORKDAY', `workdays[${i}]`)),
  ];
}

/** CSV text with a header row date,type,name (or 日期,类型,名称); blank lines are skipped but counted. */
export function arrangementFromCsv(text: string): { days: RawCalendarDay[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const { records, unterminatedQuote } = parseCsv(text);
  if (unterminatedQuote) problems.push({ field: 'body', problem: 'a quoted field is not closed', problemZh: '有引号未闭合的字段' });
  if (text.includes('\uFFFD')) problems.push({ field: 'body', problem: 'the file is not UTF-8', problemZh: '文件不是 UTF-8 编码' });
  const [header = [], ...rows] = records;
  const key = (h: string) =>
    h
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase();
  const col = Object.fromEntries(
    (Object.keys(HEADERS) as (keyof typeof HEADERS)[]).map((f) => [f, header.findIndex((h) => HEADERS[f].includes(key(h)))]),
  ) as Record<keyof typeof HEADERS, number>;
  for (const f of ['date', 'type'] as const) {
    if (col[f] < 0) problems.push({ field: 'header', problem: `no column ${f}`, problemZh: `缺少“${HEADERS[f][1]}”（${f}）列` });
  }
  if (problems.length) return { days: [], problems };
  const days = rows.flatMap((cells, i) =>
    cells.some((c) => c.trim() !== '')
      ? [
          {
            field: `row ${i + 1}`,
            date: cells[col.date]?.trim() ?? '',
            type: cells[col.type]?.trim() ?? '',
            name: col.name >= 0 ? (cells[col.name]?.trim() ?? '') : '',
          },
        ]
      : [],
  );
  return { days, problems };
}

/** Checks an arrangement for `year`; the days come back sorted when there is no problem. */
export function validateArrangement(year: number, raw: RawCalendarDay[]): { days: CalendarDay[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const bad = (field: string, problem: string, problemZh: string) => problems.push({ field, problem, problemZh });
  if (!Number.isInteger(year) || year < CALENDAR_YEAR_MIN || year > CALENDAR_YEAR_MAX) {
    bad('year', `a year from ${CALENDAR_YEAR_MIN} to ${CALENDAR_YEAR_MAX}`, `年份须在 ${CALENDAR_YEAR_MIN} 至 ${CALENDAR_YEAR_MAX} 之间`);
    return { days: [], problems };
  }
  if (raw.length > MAX_ARRANGEMENT_DAYS) {
    bad('days', `at most ${MAX_ARRANGEMENT_DAYS} days`, `最多 ${MAX_ARRANGEMENT_DAYS} 天`);
    return { days: [], problems };
  }
  const days: CalendarDay[] = [];
  const seen = new Map<string, { field: string; type: CalendarDayType }>();
  for (const r of raw) {
    const date = typeof r.date === 'string' ? r.date.trim() : '';
    if (!isRealIsoDate(date)) {
      bad(r.field, 'not a date YYYY-MM-DD', '不是有效日期（YYYY-MM-DD）');
      continue;
    }
    if (Number(date.slice(0, 4)) !== year) {
      bad(r.field, `${date} is not in ${year}`, `${date} 不在 ${year} 年内`);
      continue;
    }
    const type =
      typeof r.type === 'string'
        ? r.type === 'HOLIDAY' || r.type === 'WORKDAY'
          ? r.type
          : TYPES.get(r.type.trim().toLowerCase())
        : undefined;
    if (!type) {
      bad(r.field, 'type must be holiday or workday', '类型须为 holiday（放假）或 workday（调休上班）');
      continue;
    }
    const name = typeof r.name === 'string' ? r.name.trim() : r.name === undefined || r.name === null ? '' : undefined;
    if (name === undefined || name.length > MAX_NAME) {
      bad(r.field, `name: text of at most ${MAX_NAME} characters`, `名称须为不超过 ${MAX_NAME} 个字符的文本`);
      continue;
    }
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (type === 'WORKDAY' && weekday >= 1 && weekday <= 5) {
      bad(
        r.field,
        `${date} is a weekday: only a Saturday or Sunday can be an adjusted working day (调休)`,
        `${date} 本是工作日：只有周六、周日可以调为上班日`,
      );
      continue;
    }
    const before = seen.get(date);
    if (before) {
      bad(
        r.field,
        before.type === type
          ? `${date} is listed twice (first at ${before.field})`
          : `${date} cannot be both a holiday and a working day (see ${before.field})`,
        before.type === type ? `${date} 重复列出（首见于 ${before.field}）` : `${date} 不能既放假又上班（见 ${before.field}）`,
      );
      continue;
    }
    seen.set(date, { field: r.field, type });
    days.push({ date, type, name });
  }
  if (problems.length === 0 && !days.some((d) => d.type === 'HOLIDAY')) {
    bad('holidays', `the arrangement for ${year} has no holiday`, `${year} 年的安排中没有放假日`);
  }
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { days: problems.length ? [] : days, problems };
}
