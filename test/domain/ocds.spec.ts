import { OCDS_MAX_FEN, ocdsReleasePackage, ocdsValue, type OcdsReleasePackage } from '../../apps/api/src/procurements/ocds';
import { failedTender, negotiation, openTenderLifecycle, packageOptions, rerunTender } from '../fixtures/ocds-procurements';
import { codelist, readVendored, releasePackageValidator } from '../support/ocds-schema';

// Issue 9 item 8 (R2.2, R9): each procurement process as an OCDS 1.1 release package, checked against the
// vendored OCDS 1.1.5 schema, as published (core) and with the lots and bid extensions patched in (extended).
const validators = { core: releasePackageValidator('core'), extended: releasePackageValidator('extended') };

function expectValid(pkg: unknown) {
  for (const [name, validate] of Object.entries(validators)) {
    const valid = validate(pkg);
    expect({ schema: name, errors: validate.errors ?? null }).toEqual({ schema: name, errors: null });
    expect(valid).toBe(true);
  }
}
const build = (facts: typeof openTenderLifecycle) => ocdsReleasePackage(facts, packageOptions(facts.id));
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('vendored OCDS 1.1 schema', () => {
  it('is release 1.1.5, and the package schema refers to the release schema by the URL the validator registers locally', () => {
    const pkg = readVendored('release-package-schema.json');
    const release = readVendored('release-schema.json');
    expect(pkg.id).toBe('https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json');
    expect(release.id).toBe('https://standard.open-contracting.org/schema/1__1__5/release-schema.json');
    expect(JSON.stringify(pkg)).toContain(`"$ref":"${String(release.id)}"`);
  });

  it('carries the codelists the mapper draws on: the closed releaseTag codelist is the schema enum', () => {
    const release = readVendored('release-schema.json') as { properties: { tag: { items: { enum: string[] } } } };
    expect(codelist('codelists/releaseTag.csv')).toEqual(release.properties.tag.items.enum);
    expect(codelist('codelists/documentType.csv')).toHaveLength(41);
  });

  describe('refuses broken packages (the validation really runs)', () => {
    const good = () => clone(build(openTenderLifecycle));
    const refusals: [string, (p: OcdsReleasePackage) => void, string][] = [
      [
        'a release without ocid',
        (p) => delete (p.releases[0] as Partial<(typeof p.releases)[0]>).ocid,
        "must have required property 'ocid'",
      ],
      [
        'a tag outside the releaseTag codelist',
        (p) => ((p.releases[1].tag as string[])[0] = 'tenderOpening'),
        'must be equal to one of the allowed values',
      ],
      [
        'a procurement method outside the closed codelist',
        (p) => ((p.releases[1].tender as { procurementMethod: string }).procurementMethod = 'negotiated'),
        'allowed values',
      ],
      [
        'an amount given as a string',
        (p) => ((p.releases[0].planning.budget.amount as { amount: unknown }).amount = '1234567.89'),
        'must be number',
      ],
      [
        'a package without publisher',
        (p) => delete (p as Partial<OcdsReleasePackage>).publisher,
        "must have required property 'publisher'",
      ],
      ['a release date that is not a date-time', (p) => (p.releases[0].date = '2026-03-02'), 'must match format "date-time"'],
    ];
    it.each(refusals)('both schemas refuse %s', (_name, breakIt, message) => {
      const pkg = good();
      breakIt(pkg);
      for (const validate of Object.values(validators)) {
        expect(validate(pkg)).toBe(false);
        expect(validate.errors!.map((e) => e.message).join('; ')).toContain(message);
      }
    });

    it('only the extended schema checks lots and bid statistics (core allows additional properties)', () => {
      const badLot = good();
      (badLot.releases[1].tender.lots[0] as { status: string }).status = 'failed';
      const badStatistic = good();
      delete (badStatistic.releases[4].bids!.statistics[0] as { measure?: string }).measure;
      for (const pkg of [badLot, badStatistic]) {
        expect(validators.core(pkg)).toBe(true);
        expect(validators.extended(pkg)).toBe(false);
      }
    });
  });
});

describe(ocdsReleasePackage.name, () => {
  describe('open tender lifecycle: tender → amendment → award → contract', () => {
    const pkg = build(openTenderLifecycle);
    const [planning, tender, amendment, award, contract1, contract2] = pkg.releases;

    it('is a valid OCDS 1.1 release package', () => expectValid(pkg));

    it('has the package metadata', () => {
      expect(pkg).toMatchObject({
        uri: 'https://skillflow.example.cn/public/procurements/P2026-0001/ocds',
        version: '1.1',
        publishedDate: '2026-06-20T00:00:00Z',
        publisher: { name: '山西省人力资源和社会保障厅' },
      });
    });

    it('has one release per event, in time order, with unique ids under one ocid', () => {
      expect(pkg.releases.map((r) => r.tag)).toEqual([
        ['planning'],
        ['tender'],
        ['tenderAmendment'],
        ['award'],
        ['contract'],
        ['contract'],
      ]);
      expect(pkg.releases.map((r) => r.date)).toEqual([...pkg.releases.map((r) => r.date)].sort());
      expect(new Set(pkg.releases.map((r) => r.ocid))).toEqual(new Set(['ocds-sxrs01-P2026-0001']));
      expect(pkg.releases.map((r) => r.id)).toEqual([
        'ocds-sxrs01-P2026-0001-e1-planning',
        'ocds-sxrs01-P2026-0001-e2-tender',
        'ocds-sxrs01-P2026-0001-e3-clarification',
        'ocds-sxrs01-P2026-0001-e4-award',
        'ocds-sxrs01-P2026-0001-e5-contract-1',
        'ocds-sxrs01-P2026-0001-e6-contract-2',
      ]);
      for (const r of pkg.releases) expect(r).toMatchObject({ initiationType: 'tender', language: 'zh' });
    });

    it('R9.1 names the open method with its Chinese name and rated criteria', () => {
      expect(tender.tender).toMatchObject({
        procurementMethod: 'open',
        procurementMethodDetails: '公开招标',
        awardCriteria: 'ratedCriteria',
        mainProcurementCategory: 'services',
      });
      expect(tender.tender.procurementMethodRationale).toBeUndefined();
    });

    it('converts fen to yuan exactly', () => {
      expect(planning.planning.budget.amount).toEqual({ amount: 1234567.89, currency: 'CNY' });
      expect(tender.tender.value).toEqual({ amount: 1234567.89, currency: 'CNY' });
      expect(tender.tender.lots.map((l) => l.value.amount)).toEqual([360100, 390000]);
      expect(tender.tender.items[0].unit.value).toEqual({ amount: 1800.5, currency: 'CNY' });
      expect(award.awards!.map((a) => a.value.amount)).toEqual([252049.5, 389998.5]);
      expect(award.awards![0].items[0].unit.value.amount).toBe(1680.33);
      expect(contract2.contracts!.map((c) => c.value.amount)).toEqual([252049.5, 389998.5]);
      expect(JSON.stringify(award.awards![1].items[0].unit.value)).toBe('{"amount":2599.99,"currency":"CNY"}');
    });

    it('describes the lots (包) and their items by occupation, with relatedLot', () => {
      expect(tender.tender.lots.map(({ id, title, status }) => ({ id, title, status }))).toEqual([
        { id: 'lot-1', title: '育婴员 初级、中级', status: 'active' },
        { id: 'lot-2', title: '电工 中级', status: 'active' },
      ]);
      expect(tender.tender.lots[0].description).toBe(
        '职业 4-10-01-02，等级 五级/初级工、四级/中级工，培训 200 人，地区 140100，服务期 12 个月',
      );
      expect(tender.tender.items[1]).toMatchObject({
        id: 'lot-2',
        classification: { scheme: 'CN-OCCUPATION', id: '6-31-01-03' },
        quantity: 150,
        unit: { name: '人' },
        relatedLot: 'lot-2',
      });
    });

    it('each release shows only what was public at its event', () => {
      expect(planning.tender.status).toBe('planned');
      expect(planning.tender.tenderPeriod?.endDate).toBe('2026-03-30T01:30:00Z');
      for (const r of [planning, tender, amendment]) {
        expect(r.awards).toBeUndefined();
        expect(r.contracts).toBeUndefined();
        expect(r.bids).toBeUndefined();
        expect(r.tender.tenderers).toBeUndefined();
        expect(r.parties.map((p) => p.roles)).toEqual([['buyer', 'procuringEntity']]);
      }
      expect(tender.tender.amendments).toBeUndefined();
      expect(award.contracts).toBeUndefined();
      expect(contract1.contracts!.map((c) => c.id)).toEqual(['contract-1']);
      expect(contract2.contracts!.map((c) => c.id)).toEqual(['contract-1', 'contract-2']);
    });

    it('R9.1 a late clarification is an amendment that moves the deadline from its release on', () => {
      expect(tender.tender.tenderPeriod).toEqual({ startDate: '2026-03-09T01:00:00Z', endDate: '2026-03-30T01:30:00Z' });
      expect(amendment.tender.tenderPeriod?.endDate).toBe('2026-04-07T01:30:00Z');
      expect(amendment.tender.amendments).toEqual([
        {
          id: 'e3-clarification',
          date: '2026-03-20T03:00:00Z',
          description: '澄清：第1包师资要求修改，投标截止时间顺延至2026年4月7日9:30',
          amendsReleaseID: tender.id,
          releaseID: amendment.id,
        },
      ]);
      expect(contract2.tender.amendments).toEqual(amendment.tender.amendments);
    });

    it('after the opening: bidders as tenderers, bid statistics per lot, winners as suppliers', () => {
      expect(award.tender.numberOfTenderers).toBe(4);
      expect(award.bids!.statistics.filter((s) => s.relatedLot === 'lot-1')).toEqual([
        { id: 'lot-1-bids', measure: 'bids', value: 4, date: '2026-04-07T01:30:00Z', relatedLot: 'lot-1' },
        { id: 'lot-1-validBids', measure: 'validBids', value: 3, date: '2026-04-07T01:30:00Z', relatedLot: 'lot-1' },
        { id: 'lot-1-smeBids', measure: 'smeBids', value: 2, date: '2026-04-07T01:30:00Z', relatedLot: 'lot-1' },
      ]);
      const roles = Object.fromEntries(award.parties.map((p) => [p.name, p.roles]));
      expect(roles).toEqual({
        太原市人力资源和社会保障局: ['buyer', 'procuringEntity'],
        太原市晋阳职业培训学校: ['tenderer', 'supplier'],
        山西技能人才培训有限公司: ['tenderer', 'supplier'],
        太原市龙城家政服务培训中心: ['tenderer'],
        山西省汾水职业技能培训学校: ['tenderer'],
      });
      const winner = award.parties.find((p) => p.name === '太原市晋阳职业培训学校')!;
      expect(winner.identifier).toEqual({ scheme: 'CN-USCC', id: winner.id.replace('CN-USCC-', ''), legalName: winner.name });
      expect(award.awards![0]).toMatchObject({
        title: '第1包中标结果',
        status: 'active',
        suppliers: [{ id: winner.id, name: winner.name }],
        relatedLots: ['lot-1'],
      });
      expect(award.tender.status).toBe('complete');
      expect(award.tender.lots.map((l) => l.status)).toEqual(['complete', 'complete']);
    });

    it('contracts point at their awards', () => {
      expect(contract2.contracts![1]).toEqual({
        id: 'contract-2',
        awardID: 'award-2',
        title: '第2包合同',
        status: 'active',
        period: { startDate: '2026-05-09T16:00:00Z', endDate: '2027-05-08T16:00:00Z' },
        value: { amount: 389998.5, currency: 'CNY' },
        dateSigned: '2026-05-08T02:00:00Z',
      });
    });

    it('uses only codes from the OCDS codelists', () => {
      const roles = codelist('codelists/partyRole.csv');
      const measures = codelist('extensions/ocds_bid_extension/bidStatistics.csv');
      const methods = codelist('codelists/method.csv');
      for (const r of pkg.releases) {
        for (const p of r.parties) for (const role of p.roles) expect(roles).toContain(role);
        for (const s of r.bids?.statistics ?? []) expect(measures).toContain(s.measure);
        expect(methods).toContain(r.tender.procurementMethod);
      }
    });
  });

  describe('R9.2 a failed tender and its re-run, linked both ways', () => {
    const failed = build(failedTender);
    const rerun = build(rerunTender);

    it('both packages are valid OCDS 1.1 release packages', () => {
      expectValid(failed);
      expectValid(rerun);
    });

    it('the failure is a tenderCancellation release: tender and lot unsuccessful, with the reason and the bid counts', () => {
      const last = failed.releases[failed.releases.length - 1];
      expect(failed.releases.map((r) => r.tag)).toEqual([['tender'], ['tenderCancellation']]);
      expect(last.tender.status).toBe('unsuccessful');
      expect(last.tender.lots.map((l) => l.status)).toEqual(['unsuccessful']);
      expect(last.bids!.statistics.find((s) => s.measure === 'validBids')!.value).toBe(2);
      expect(last.tender.documents).toEqual([
        {
          id: 'failure',
          documentType: 'cancellationDetails',
          title: '废标公告',
          description: '有效投标人不足3家，本次招标失败（废标）',
          datePublished: '2026-03-30T03:00:00Z',
        },
      ]);
      expect(codelist('codelists/documentType.csv')).toContain('cancellationDetails');
      expect(last.awards).toBeUndefined();
      expect(failed.releases[0].tender.status).toBe('active');
      expect(failed.releases[0].tender.documents).toBeUndefined();
    });

    it('relatedProcesses carry the other process ocid: the re-run follows an unsuccessful process', () => {
      const codes = codelist('codelists/relatedProcess.csv');
      for (const r of failed.releases) {
        expect(r.relatedProcesses).toEqual([
          {
            id: 'P2026-0003',
            relationship: ['replacementProcess'],
            title: rerunTender.title,
            scheme: 'ocid',
            identifier: rerun.releases[0].ocid,
          },
        ]);
      }
      expect(rerun.releases[0].relatedProcesses).toEqual([
        {
          id: 'P2026-0002',
          relationship: ['unsuccessfulProcess'],
          title: failedTender.title,
          scheme: 'ocid',
          identifier: failed.releases[0].ocid,
        },
      ]);
      for (const p of [...failed.releases, ...rerun.releases].flatMap((r) => r.relatedProcesses ?? [])) {
        for (const code of p.relationship) expect(codes).toContain(code);
      }
    });

    it('a cancelled purchase (not a failure) reads cancelled', () => {
      const cancelled = build({
        ...failedTender,
        events: [failedTender.events[0], { id: 'withdrawn', kind: 'CANCELLATION', outcome: 'CANCELLED', at: '2026-03-20T03:00:00Z' }],
      });
      expectValid(cancelled);
      expect(cancelled.releases[1].tender.status).toBe('cancelled');
      expect(cancelled.releases[1].tender.lots[0].status).toBe('cancelled');
      expect(cancelled.releases[1].tender.documents![0].title).toBe('终止公告');
    });

    it('one failed lot of two: the lot is unsuccessful, the tender goes on, the notice names the lot', () => {
      const oneLotFails = build({
        ...openTenderLifecycle,
        events: [
          ...openTenderLifecycle.events.filter((e) => e.kind === 'PLANNING' || e.kind === 'TENDER'),
          {
            id: 'lot-2-failure',
            kind: 'CANCELLATION',
            outcome: 'FAILED',
            lot: 2,
            at: '2026-04-07T03:00:00Z',
            details: '第2包有效投标不足3家',
          },
        ],
        awards: [],
        contracts: [],
      });
      expectValid(oneLotFails);
      const last = oneLotFails.releases[oneLotFails.releases.length - 1];
      expect(last.tender.status).toBe('active');
      expect(last.tender.lots.map((l) => l.status)).toEqual(['active', 'unsuccessful']);
      expect(last.tender.documents).toMatchObject([{ title: '第2包废标公告', relatedLots: ['lot-2'] }]);
    });
  });

  describe('R9.3 competitive negotiation', () => {
    const pkg = build(negotiation);
    const last = pkg.releases[pkg.releases.length - 1];

    it('is a valid OCDS 1.1 release package', () => expectValid(pkg));

    it('is limited (suppliers invited by the purchaser), with 竞争性谈判, its rationale and price-only award', () => {
      expect(last.tender).toMatchObject({
        procurementMethod: 'limited',
        procurementMethodDetails: '竞争性谈判',
        procurementMethodRationale: negotiation.methodRationale,
        awardCriteria: 'priceOnly',
      });
      expect(pkg.releases.map((r) => r.tag)).toEqual([['tender'], ['award'], ['contract']]);
      expect(last.awards![0]).toMatchObject({ title: '第2包成交结果', value: { amount: 367515, currency: 'CNY' } });
      expect(last.contracts![0].value).toEqual({ amount: 367515, currency: 'CNY' });
    });

    it('a consultation is limited too, with rated criteria', () => {
      const consultation = build({ ...negotiation, method: 'COMPETITIVE_CONSULTATION' });
      expectValid(consultation);
      expect(consultation.releases[0].tender).toMatchObject({
        procurementMethod: 'limited',
        procurementMethodDetails: '竞争性磋商',
        awardCriteria: 'ratedCriteria',
      });
    });
  });

  describe('refuses facts that contradict themselves', () => {
    it.each([
      ['no event', { events: [] }, /no published event/],
      ['a duplicate event id', { events: [negotiation.events[0], { ...negotiation.events[1], id: 'tender' }] }, /appears twice/],
      [
        'an award to an institution that did not bid',
        { awards: [{ ...negotiation.awards[0], institutionId: 'inst-x' }] },
        /not among the bidders/,
      ],
      ['an award on a lot the process does not have', { awards: [{ ...negotiation.awards[0], lot: 7 }] }, /lot 7/],
      ['a contract for an unknown award', { contracts: [{ ...negotiation.contracts[0], awardId: 'award-9' }] }, /unknown award award-9/],
      ['a budget in fractions of a fen', { budgetFen: 100.5 }, /not a whole/],
      ['an event at no valid instant', { events: [{ ...negotiation.events[0], at: 'next Tuesday' }] }, /not an ISO instant/],
    ])('%s', (_name, change, message) => {
      expect(() => build({ ...negotiation, ...change } as typeof negotiation)).toThrow(message);
    });
  });
});

describe(ocdsValue.name, () => {
  // The JSON number must read as the exact yuan amount: at most 2 decimals, no binary noise (0.1 + 0.2 style).
  const decimal = (fen: number) => {
    const cents = fen % 100;
    return `${(fen - cents) / 100}${cents === 0 ? '' : `.${String(cents).padStart(2, '0').replace(/0$/, '')}`}`;
  };
  it('prints every amount up to 10,000 yuan, and larger ones up to OCDS_MAX_FEN, exactly', () => {
    const large = [
      ...Array.from({ length: 10_000 }, (_, i) => 1_000_000 + i * 99_999_999_999),
      123_456_789_012_345,
      OCDS_MAX_FEN - 1,
      OCDS_MAX_FEN,
    ];
    for (const fen of [...Array.from({ length: 1_000_001 }, (_, i) => i), ...large]) {
      const { amount } = ocdsValue(fen);
      if (JSON.stringify(amount) !== decimal(fen)) throw new Error(`${fen} fen printed as ${JSON.stringify(amount)}`);
    }
    expect(JSON.stringify(ocdsValue(OCDS_MAX_FEN - 1))).toBe('{"amount":9999999999999.99,"currency":"CNY"}');
  });

  it.each([[-1], [1.5], [Number.NaN], [OCDS_MAX_FEN + 1], [Number.MAX_SAFE_INTEGER]])('refuses %p fen', (fen) => {
    expect(() => ocdsValue(fen)).toThrow(/not a whole/);
  });
});
