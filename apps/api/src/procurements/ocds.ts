// Issue 9 item 8: a procurement process (R2.2, R9) published as an OCDS 1.1 release package (开放合同数据标准).
// Pure: the repository gathers the facts, the public route serves what this returns; no I/O, no clock.
// The schema it must satisfy is vendored in vendor/ocds/1.1 (core 1.1.5 with the lots and bid extensions).
import {
  PROCUREMENT_METHOD_ZH,
  type LotSpec,
  type ProcurementMethod,
  type ProcurementSchedule,
} from '../../../../workflows/contracts/procurement';

export const OCDS_VERSION = '1.1';
/** Extensions whose fields the releases use: tender.lots and relatedLot(s) (lots), bids.statistics (bid). */
export const OCDS_EXTENSIONS = [
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json',
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json',
];
/** Unified social credit code (统一社会信用代码, GB 32100) as an organisation identifier scheme. */
export const CREDIT_CODE_SCHEME = 'CN-USCC';
/** Occupation codes of the national occupational classification (国家职业分类大典), e.g. 4-10-01-06. */
export const OCCUPATION_SCHEME = 'CN-OCCUPATION';

/**
 * OCDS method codelist (1.1): open — "all interested suppliers can submit a tender"; selective — "only qualified
 * suppliers are invited"; limited — "the procuring entity contacts a number of suppliers of its choice".
 * Negotiation (竞争性谈判) and consultation (竞争性磋商) invite suppliers the purchaser picks (from an
 * announcement, the supplier pool or recommendations, MoF Order 74 art. 12, 财库〔2014〕214号 art. 6) and then
 * deals with those only, so they are `limited`; `selective` would be a prequalification open to every supplier.
 */
const METHOD_CODE: Record<ProcurementMethod, 'open' | 'limited'> = {
  OPEN_TENDER: 'open',
  COMPETITIVE_NEGOTIATION: 'limited',
  COMPETITIVE_CONSULTATION: 'limited',
};
/** R9.3 negotiation: the lowest compliant final quotation wins (priceOnly); R9.4/R9.5 comprehensive scoring (ratedCriteria). */
const AWARD_CRITERIA: Record<ProcurementMethod, 'priceOnly' | 'ratedCriteria'> = {
  OPEN_TENDER: 'ratedCriteria',
  COMPETITIVE_NEGOTIATION: 'priceOnly',
  COMPETITIVE_CONSULTATION: 'ratedCriteria',
};
/** A tender is won (中标); a negotiation or consultation ends in a transaction (成交). */
const AWARD_TERM_ZH: Record<ProcurementMethod, string> = {
  OPEN_TENDER: '中标',
  COMPETITIVE_NEGOTIATION: '成交',
  COMPETITIVE_CONSULTATION: '成交',
};
const LEVEL_ZH: Record<string, string> = {
  '5': '五级/初级工',
  '4': '四级/中级工',
  '3': '三级/高级工',
  '2': '二级/技师',
  '1': '一级/高级技师',
};

export type OcdsEventKind = 'PLANNING' | 'TENDER' | 'AMENDMENT' | 'AWARD' | 'CONTRACT' | 'CANCELLATION';
const TAG: Record<OcdsEventKind, OcdsReleaseTag> = {
  PLANNING: 'planning',
  TENDER: 'tender',
  AMENDMENT: 'tenderAmendment',
  AWARD: 'award',
  CONTRACT: 'contract',
  CANCELLATION: 'tenderCancellation',
};
export type OcdsReleaseTag = 'planning' | 'tender' | 'tenderAmendment' | 'award' | 'contract' | 'tenderCancellation';

/** A published step of the process; each becomes one release. Instants are ISO strings with an offset. */
export type OcdsEventFact = {
  id: string;
  at: string;
  /** the lot (包) the event concerns; none: the whole process */
  lot?: number;
  /** what was announced, in Chinese: the amendment's content, the reason for a failure */
  details?: string;
  /** TENDER: the schedule as published; AMENDMENT: the schedule as moved (R9.1 a late clarification moves the deadline) */
  schedule?: ProcurementSchedule;
} & (
  | { kind: Exclude<OcdsEventKind, 'CANCELLATION'> }
  /** FAILED: 废标 (R9.2); CANCELLED: the purchase is withdrawn */
  | { kind: 'CANCELLATION'; outcome: 'FAILED' | 'CANCELLED' }
);

/** What the database knows of one process, filled by the repository. Money in integer fen. */
export interface OcdsProcurementFacts {
  id: string;
  title: string;
  description?: string;
  method: ProcurementMethod;
  /** why a method other than open tender was used (e.g. the R9.2 switch after a failed tender) */
  methodRationale?: string;
  budgetFen: number;
  /** the HR department that pays and runs the procurement (采购人) */
  buyer: { id: string; name: string; regionCode: string; creditCode?: string };
  /** the schedule as first published; TENDER and AMENDMENT events may carry later versions */
  schedule?: ProcurementSchedule;
  /** when the bids or first responses were opened: bidders and bid statistics are public from then */
  openedAt?: string;
  lots: Pick<
    LotSpec,
    'number' | 'title' | 'occupationCode' | 'levels' | 'trainees' | 'regionCode' | 'ceilingPricePerPersonFen' | 'serviceMonths'
  >[];
  /** the bidders (投标人/响应供应商), known after the opening */
  suppliers: { institutionId: string; name: string; creditCode: string }[];
  bidStatistics: { lot: number; bids: number; validBids: number; smeBids: number }[];
  events: OcdsEventFact[];
  /** an award is public from the first release at or after its date */
  awards: { id: string; lot: number; institutionId: string; pricePerPersonFen: number; trainees: number; date: string }[];
  /** a contract is public from the first release at or after its signing */
  contracts: { id: string; awardId: string; lot: number; signedAt: string; valueFen: number; period: { start: string; end: string } }[];
  /** R9.2 a re-run is a new process linked to the failed one: RERUN_OF on the re-run, RERUN_BY on the failed process */
  relatedProcesses: { procurementId: string; relationship: 'RERUN_OF' | 'RERUN_BY'; title: string }[];
}

export interface OcdsPackageOptions {
  ocidPrefix: string;
  /** this package's own address */
  uri: string;
  publishedDate: string;
  publisherName: string;
}

export interface OcdsValue {
  amount: number;
  currency: 'CNY';
}
export interface OcdsOrganizationReference {
  id: string;
  name: string;
}
export interface OcdsParty extends OcdsOrganizationReference {
  identifier?: { scheme: string; id: string; legalName: string };
  address?: { region: string; countryName: string };
  roles: ('buyer' | 'procuringEntity' | 'tenderer' | 'supplier')[];
}
export interface OcdsItem {
  id: string;
  description: string;
  classification: { scheme: string; id: string; description: string };
  quantity: number;
  unit: { name: string; value: OcdsValue };
  relatedLot: string;
}
export interface OcdsRelease {
  ocid: string;
  id: string;
  date: string;
  tag: OcdsReleaseTag[];
  initiationType: 'tender';
  language: 'zh';
  parties: OcdsParty[];
  buyer: OcdsOrganizationReference;
  planning: { budget: { description: string; amount: OcdsValue } };
  tender: {
    id: string;
    title: string;
    description?: string;
    status: 'planned' | 'active' | 'cancelled' | 'unsuccessful' | 'complete';
    procuringEntity: OcdsOrganizationReference;
    value: OcdsValue;
    procurementMethod: 'open' | 'limited';
    procurementMethodDetails: string;
    procurementMethodRationale?: string;
    mainProcurementCategory: 'services';
    awardCriteria: 'priceOnly' | 'ratedCriteria';
    tenderPeriod?: { startDate: string; endDate: string };
    items: OcdsItem[];
    lots: { id: string; title: string; description: string; status: OcdsLotStatus; value: OcdsValue }[];
    amendments?: { id: string; date: string; description?: string; amendsReleaseID: string; releaseID: string }[];
    documents?: OcdsCancellationDocument[];
    numberOfTenderers?: number;
    tenderers?: OcdsOrganizationReference[];
  };
  bids?: { statistics: { id: string; measure: 'bids' | 'validBids' | 'smeBids'; value: number; date: string; relatedLot: string }[] };
  awards?: {
    id: string;
    title: string;
    status: 'active';
    date: string;
    value: OcdsValue;
    suppliers: OcdsOrganizationReference[];
    items: OcdsItem[];
    relatedLots: string[];
  }[];
  contracts?: {
    id: string;
    awardID: string;
    title: string;
    status: 'active';
    period: { startDate: string; endDate: string };
    value: OcdsValue;
    dateSigned: string;
  }[];
  relatedProcesses?: { id: string; relationship: string[]; title: string; scheme: 'ocid'; identifier: string }[];
}
export interface OcdsReleasePackage {
  uri: string;
  version: typeof OCDS_VERSION;
  extensions: string[];
  publishedDate: string;
  publisher: { name: string };
  releases: OcdsRelease[];
}
/** R9.2 all bidders and the public are told why a tender failed: the announcement, as a cancellationDetails document. */
export interface OcdsCancellationDocument {
  id: string;
  documentType: 'cancellationDetails';
  title: string;
  description?: string;
  datePublished: string;
  relatedLots?: string[];
}
type OcdsLotStatus = 'planned' | 'active' | 'cancelled' | 'unsuccessful' | 'complete';

/**
 * The release package of one process: one release per event in time order, each a full snapshot of what was
 * public at that event. Throws on facts that contradict themselves (an unknown lot or bidder, a duplicate event
 * id, an amount that is not whole fen), and on a process with no event (nothing public yet).
 */
export function ocdsReleasePackage(facts: OcdsProcurementFacts, opts: OcdsPackageOptions): OcdsReleasePackage {
  if (!opts.ocidPrefix) throw new Error('ocdsReleasePackage: an ocid prefix is required');
  if (facts.events.length === 0) throw new Error(`ocdsReleasePackage: procurement ${facts.id} has no published event`);
  const ocid = `${opts.ocidPrefix}-${facts.id}`;
  const events = inTimeOrder(facts.events);
  const releaseIds = events.map((e) => `${ocid}-${e.id}`);
  const releases = events.map((event, i) => snapshot(facts, opts, ocid, events.slice(0, i + 1), releaseIds));
  return {
    uri: opts.uri,
    version: OCDS_VERSION,
    extensions: OCDS_EXTENSIONS,
    publishedDate: opts.publishedDate,
    publisher: { name: opts.publisherName },
    releases,
  };
}

/**
 * Up to this many fen, fen / 100 is exact in JSON: the division rounds to the double nearest the two-decimal
 * value and, below 2^46 yuan, doubles are closer together than 0.01, so that value is the shortest that prints.
 */
export const OCDS_MAX_FEN = 10 ** 15;

/** Integer fen as an OCDS amount in yuan (CNY), printing with at most two decimals and no binary noise. */
export function ocdsValue(fen: number): OcdsValue {
  if (!Number.isInteger(fen) || fen < 0 || fen > OCDS_MAX_FEN) {
    throw new Error(`ocdsValue: ${fen} is not a whole number of fen from 0 to ${OCDS_MAX_FEN}`);
  }
  return { amount: fen / 100, currency: 'CNY' };
}

const lotId = (n: number) => `lot-${n}`;
const partyId = (creditCode: string) => `${CREDIT_CODE_SCHEME}-${creditCode}`;

function instant(iso: string, what: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`ocdsReleasePackage: ${what} ${JSON.stringify(iso)} is not an ISO instant`);
  return t;
}

function inTimeOrder(events: OcdsEventFact[]): OcdsEventFact[] {
  const seen = new Set<string>();
  for (const e of events) {
    if (seen.has(e.id)) throw new Error(`ocdsReleasePackage: event id ${e.id} appears twice`);
    seen.add(e.id);
  }
  // Array.prototype.sort is stable: events at the same instant keep the order they were recorded in.
  return events
    .map((e) => ({ e, t: instant(e.at, `event ${e.id}`) }))
    .sort((a, b) => a.t - b.t)
    .map(({ e }) => e);
}

function snapshot(
  facts: OcdsProcurementFacts,
  opts: OcdsPackageOptions,
  ocid: string,
  known: OcdsEventFact[],
  releaseIds: string[],
): OcdsRelease {
  const event = known[known.length - 1];
  const now = instant(event.at, `event ${event.id}`);
  const lotNumbers = new Set(facts.lots.map((l) => l.number));
  const checkLot = (n: number, what: string) => {
    if (!lotNumbers.has(n)) throw new Error(`ocdsReleasePackage: ${what} names lot ${n}, which the process does not have`);
  };
  for (const e of known) if (e.lot !== undefined) checkLot(e.lot, `event ${e.id}`);

  const opened = facts.openedAt !== undefined && instant(facts.openedAt, 'openedAt') <= now;
  const awards = facts.awards.filter((a) => instant(a.date, `award ${a.id}`) <= now);
  const contracts = facts.contracts.filter((c) => instant(c.signedAt, `contract ${c.id}`) <= now);
  const supplierOf = (institutionId: string) => {
    const s = facts.suppliers.find((x) => x.institutionId === institutionId);
    if (!s) throw new Error(`ocdsReleasePackage: institution ${institutionId} won an award but is not among the bidders`);
    return s;
  };
  const winners = new Set(awards.map((a) => supplierOf(a.institutionId).institutionId));

  const buyerRef = { id: facts.buyer.creditCode ? partyId(facts.buyer.creditCode) : `buyer-${facts.buyer.id}`, name: facts.buyer.name };
  const parties: OcdsParty[] = [
    {
      ...buyerRef,
      ...(facts.buyer.creditCode && {
        identifier: { scheme: CREDIT_CODE_SCHEME, id: facts.buyer.creditCode, legalName: facts.buyer.name },
      }),
      address: { region: facts.buyer.regionCode, countryName: '中国' },
      roles: ['buyer', 'procuringEntity'],
    },
  ];
  const bidders = opened ? facts.suppliers : facts.suppliers.filter((s) => winners.has(s.institutionId));
  for (const s of bidders) {
    parties.push({
      id: partyId(s.creditCode),
      name: s.name,
      identifier: { scheme: CREDIT_CODE_SCHEME, id: s.creditCode, legalName: s.name },
      roles: winners.has(s.institutionId) ? ['tenderer', 'supplier'] : ['tenderer'],
    });
  }
  const ref = (institutionId: string): OcdsOrganizationReference => {
    const s = supplierOf(institutionId);
    return { id: partyId(s.creditCode), name: s.name };
  };

  const lotStatus = (n: number): OcdsLotStatus => {
    const cancel = [...known].reverse().find((e) => e.kind === 'CANCELLATION' && (e.lot === undefined || e.lot === n));
    if (awards.some((a) => a.lot === n)) return 'complete';
    if (cancel?.kind === 'CANCELLATION') return cancel.outcome === 'FAILED' ? 'unsuccessful' : 'cancelled';
    return known.some((e) => e.kind === 'TENDER') ? 'active' : 'planned';
  };
  const lotStatuses = facts.lots.map((l) => lotStatus(l.number));
  const schedule = [...known].reverse().find((e) => e.schedule)?.schedule ?? facts.schedule;
  const amendments = known.flatMap((e, i) =>
    e.kind === 'AMENDMENT'
      ? [
          {
            id: e.id,
            date: e.at,
            ...(e.details && { description: e.details }),
            amendsReleaseID: releaseIds[i - 1] ?? releaseIds[i],
            releaseID: releaseIds[i],
          },
        ]
      : [],
  );

  const documents = known.flatMap((e): OcdsCancellationDocument[] =>
    e.kind === 'CANCELLATION'
      ? [
          {
            id: e.id,
            documentType: 'cancellationDetails',
            title: `${e.lot === undefined ? '' : `第${e.lot}包`}${e.outcome === 'FAILED' ? '废标公告' : '终止公告'}`,
            ...(e.details && { description: e.details }),
            datePublished: e.at,
            ...(e.lot !== undefined && { relatedLots: [lotId(e.lot)] }),
          },
        ]
      : [],
  );

  const release: OcdsRelease = {
    ocid,
    id: releaseIds[known.length - 1],
    date: event.at,
    tag: [TAG[event.kind]],
    initiationType: 'tender',
    language: 'zh',
    parties,
    buyer: buyerRef,
    planning: { budget: { description: `${facts.title} 预算`, amount: ocdsValue(facts.budgetFen) } },
    tender: {
      id: facts.id,
      title: facts.title,
      ...(facts.description && { description: facts.description }),
      status: tenderStatus(known, lotStatuses),
      procuringEntity: buyerRef,
      value: ocdsValue(facts.budgetFen),
      procurementMethod: METHOD_CODE[facts.method],
      procurementMethodDetails: PROCUREMENT_METHOD_ZH[facts.method],
      ...(facts.methodRationale && { procurementMethodRationale: facts.methodRationale }),
      mainProcurementCategory: 'services',
      awardCriteria: AWARD_CRITERIA[facts.method],
      ...(schedule && { tenderPeriod: { startDate: schedule.documentsFrom, endDate: schedule.responseDeadline } }),
      items: facts.lots.map((l) => lotItem(l.number, l, l.ceilingPricePerPersonFen, l.trainees)),
      lots: facts.lots.map((l, i) => ({
        id: lotId(l.number),
        title: l.title,
        description: lotDescription(l),
        status: lotStatuses[i],
        value: ocdsValue(product(l.ceilingPricePerPersonFen, l.trainees)),
      })),
      ...(amendments.length > 0 && { amendments }),
      ...(documents.length > 0 && { documents }),
      ...(opened && { numberOfTenderers: facts.suppliers.length, tenderers: facts.suppliers.map((s) => ref(s.institutionId)) }),
    },
  };

  if (opened && facts.openedAt !== undefined) {
    const date = facts.openedAt;
    release.bids = {
      statistics: facts.bidStatistics.flatMap((s) => {
        checkLot(s.lot, 'a bid statistic');
        return (['bids', 'validBids', 'smeBids'] as const).map((measure) => ({
          id: `${lotId(s.lot)}-${measure}`,
          measure,
          value: s[measure],
          date,
          relatedLot: lotId(s.lot),
        }));
      }),
    };
  }
  if (awards.length > 0) {
    release.awards = awards.map((a) => {
      checkLot(a.lot, `award ${a.id}`);
      const lot = facts.lots.find((l) => l.number === a.lot)!;
      return {
        id: a.id,
        title: `第${a.lot}包${AWARD_TERM_ZH[facts.method]}结果`,
        status: 'active' as const,
        date: a.date,
        value: ocdsValue(product(a.pricePerPersonFen, a.trainees)),
        suppliers: [ref(a.institutionId)],
        items: [lotItem(a.lot, lot, a.pricePerPersonFen, a.trainees)],
        relatedLots: [lotId(a.lot)],
      };
    });
  }
  if (contracts.length > 0) {
    release.contracts = contracts.map((c) => {
      if (!facts.awards.some((a) => a.id === c.awardId))
        throw new Error(`ocdsReleasePackage: contract ${c.id} names unknown award ${c.awardId}`);
      checkLot(c.lot, `contract ${c.id}`);
      return {
        id: c.id,
        awardID: c.awardId,
        title: `第${c.lot}包合同`,
        status: 'active' as const,
        period: { startDate: c.period.start, endDate: c.period.end },
        value: ocdsValue(c.valueFen),
        dateSigned: c.signedAt,
      };
    });
  }
  if (facts.relatedProcesses.length > 0) {
    // The link places the process in its chain (failed → re-run), so every release carries it.
    release.relatedProcesses = facts.relatedProcesses.map((r) => ({
      id: r.procurementId,
      // 1.1 relatedProcess codelist: the re-run "follows on from a previous unsuccessful process"
      // (unsuccessfulProcess); on the failed process, the related re-run "might result in the replacement of
      // this contract" (replacementProcess), the 1.1 code for a link from the earlier process to the later.
      relationship: [r.relationship === 'RERUN_OF' ? 'unsuccessfulProcess' : 'replacementProcess'],
      title: r.title,
      scheme: 'ocid' as const,
      identifier: `${opts.ocidPrefix}-${r.procurementId}`,
    }));
  }
  return release;
}

function tenderStatus(known: OcdsEventFact[], lotStatuses: OcdsLotStatus[]): OcdsRelease['tender']['status'] {
  const whole = [...known].reverse().find((e) => e.kind === 'CANCELLATION' && e.lot === undefined);
  if (whole?.kind === 'CANCELLATION' && !lotStatuses.includes('complete')) return whole.outcome === 'FAILED' ? 'unsuccessful' : 'cancelled';
  if (!known.some((e) => e.kind === 'TENDER')) return 'planned';
  if (lotStatuses.some((s) => s === 'active' || s === 'planned')) return 'active';
  if (lotStatuses.includes('complete')) return 'complete';
  return lotStatuses.includes('unsuccessful') ? 'unsuccessful' : 'cancelled';
}

function lotItem(n: number, lot: OcdsProcurementFacts['lots'][number], pricePerPersonFen: number, trainees: number): OcdsItem {
  return {
    id: lotId(n),
    description: lotDescription(lot),
    classification: { scheme: OCCUPATION_SCHEME, id: lot.occupationCode, description: lot.title },
    quantity: trainees,
    unit: { name: '人', value: ocdsValue(pricePerPersonFen) },
    relatedLot: lotId(n),
  };
}

function lotDescription(lot: OcdsProcurementFacts['lots'][number]): string {
  const levels = lot.levels.map((l) => LEVEL_ZH[l] ?? `${l}级`).join('、');
  return `职业 ${lot.occupationCode}，等级 ${levels}，培训 ${lot.trainees} 人，地区 ${lot.regionCode}，服务期 ${lot.serviceMonths} 个月`;
}

function product(pricePerPersonFen: number, trainees: number): number {
  const fen = pricePerPersonFen * trainees;
  if (!Number.isSafeInteger(fen))
    throw new Error(`ocdsReleasePackage: ${pricePerPersonFen} fen × ${trainees} is not a whole number of fen`);
  return fen;
}
