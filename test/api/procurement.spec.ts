// Competitive selection end to end through HTTP on the real stack (R2.4, R9): an open tender from its notice
// to the winner's qualification, with sealed bids, refusals, a committee drawn without conflicted members, the
// price score with the SME deduction to the hundredth of a point, and the process as an OCDS release package.
// Lüliang (141100) runs its periods in seconds so the whole lifecycle fits in a test.
import { releasePackageValidator } from '../support/ocds-schema';
import { addPolicyVersion, eventually, replayAndMaybeRecord, startHarness, type Harness } from '../support/harness';
import { procurementWorkflowId } from '../../workflows/contracts/procurement';
import { amendmentWorkflowId } from '../../workflows/contracts/catalogue';
import { OCCUPATION, bidBody, bidder, expertPool, secondsSchedule, tenderBody, type Bidder } from '../fixtures/procurement';
import { TASK_KINDS } from '../../workflows/contracts/tasks';
import { COMMITMENT, classWithRoster } from '../fixtures/claims';

let h: Harness;
const LULIANG = '141100';
const SECONDS = (amount: number) => ({ unit: 'SECONDS', amount });

beforeAll(async () => {
  h = await startHarness();
  await addPolicyVersion(
    h,
    LULIANG,
    {
      procurement: {
        tenderAnnouncement: SECONDS(1),
        minResponsePeriod: { OPEN_TENDER: SECONDS(8), COMPETITIVE_NEGOTIATION: SECONDS(8), COMPETITIVE_CONSULTATION: SECONDS(8) },
        minDocumentsPeriod: { OPEN_TENDER: SECONDS(2), COMPETITIVE_NEGOTIATION: null, COMPETITIVE_CONSULTATION: SECONDS(2) },
        clarificationLead: { OPEN_TENDER: SECONDS(6), COMPETITIVE_NEGOTIATION: SECONDS(3), COMPETITIVE_CONSULTATION: SECONDS(3) },
        periods: {
          winnerChoice: SECONDS(600),
          resultAnnouncement: SECONDS(1),
          challengeWindow: SECONDS(600),
          challengeAnswer: SECONDS(600),
          complaintWindow: SECONDS(600),
          complaintDecision: SECONDS(600),
          contractSigning: SECONDS(600),
        },
      },
    },
    'test: procurement periods in seconds',
  );
});
afterAll(async () => {
  await h?.stop();
});

const officer = () => h.token({ sub: 'procurement-officer', roles: ['procurement'], region: LULIANG });
const supervisor = () => h.token({ sub: 'finance-supervisor', roles: ['finance_supervisor'], region: LULIANG });

async function createTender(overrides: Record<string, unknown> = {}, schedule = secondsSchedule(3, 4, 11)) {
  const res = await h.http('POST', '/procurements', { token: officer(), body: tenderBody(LULIANG, schedule, overrides) });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function publish(id: string) {
  const res = await h.http('POST', `/procurements/${id}/publish`, { token: officer(), body: {} });
  expect(res.status).toBe(200);
  return res.body;
}

async function bid(b: Bidder, id: string, price: number, sme = false) {
  const res = await h.http('POST', `/procurements/${id}/lots/1/bids`, { token: b.token, body: bidBody(price, sme) });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function opened(id: string) {
  return eventually(
    async () => {
      const p = await h.http('GET', `/procurements/${id}`, { token: officer() });
      return p.body.openedAt && p.body.lots.every((l: any) => l.status !== 'OPEN') && p.body;
    },
    'the opening',
    40_000,
  );
}

describe('open tender (公开招标) end to end (R9.1–R9.6, R2.4)', () => {
  it('runs from the notice to the winner’s qualification, bids sealed until the opening', async () => {
    const a = await bidder(h, LULIANG, '91', '吕梁市甲培训学校有限公司');
    const b = await bidder(h, LULIANG, '52', '吕梁市乙职业培训学校');
    const c = await bidder(h, LULIANG, '91', '吕梁市丙技能培训有限公司');
    const banned = await bidder(h, LULIANG, '91', '吕梁市丁培训有限公司');
    // The pool: one expert with a declared relationship to a bidder, one of the purchaser's own staff, six eligible.
    const conflicted = (await expertPool(h, LULIANG, 1, OCCUPATION)).experts[0];
    const staff = (await expertPool(h, LULIANG, 1, OCCUPATION, { employerRegionCode: LULIANG })).experts[0];
    const eligible = (await expertPool(h, LULIANG, 6, OCCUPATION)).experts;
    const declared = await h.http('POST', `/experts/${conflicted.id}/relationships`, {
      token: conflicted.token,
      body: { institutionId: a.institutionId, nature: '曾任该校兼职教师', endedOn: '2025-06-30' },
    });
    expect(declared.status).toBe(201);
    // R9.8 the finance department's ban on one supplier.
    const ban = await h.http('POST', '/supplier-bans', {
      token: supervisor(),
      body: {
        institutionId: banned.institutionId,
        kind: 'FINANCE_BAN',
        reason: '提供虚假材料',
        decisionRef: '吕财采处〔2026〕3号',
        startsOn: '2026-01-01',
        endsOn: '2028-12-31',
      },
    });
    expect(ban.status).toBe(201);

    const id = await createTender();
    // Not published: no bid yet.
    const early = await h.http('POST', `/procurements/${id}/lots/1/bids`, { token: a.token, body: bidBody(80_000, true) });
    expect(early.status).toBe(409);
    const published = await publish(id);
    expect(published.status).toBe('PUBLISHED');

    // R9.8 refusals, each with its reason; nothing is stored as a bid.
    const refusedBan = await h.http('POST', `/procurements/${id}/lots/1/bids`, { token: banned.token, body: bidBody(80_000, false) });
    expect(refusedBan.status).toBe(422);
    expect(refusedBan.body.error.code).toBe('BIDDER_BANNED');
    const aboveCeiling = await h.http('POST', `/procurements/${id}/lots/1/bids`, { token: c.token, body: bidBody(95_000, false) });
    expect(aboveCeiling.status).toBe(422);
    expect(aboveCeiling.body.error.code).toBe('PRICE_ABOVE_CEILING');
    const unqualified = await h.http('POST', `/procurements/${id}/lots/1/bids`, { token: c.token, body: bidBody(85_000, false, {}) });
    expect(unqualified.status).toBe(422);
    expect(unqualified.body.error.code).toBe('REQUIREMENTS_NOT_MET');
    expect(await h.db.bid.count({ where: { procurementId: id } })).toBe(0);

    const firstA = await bid(a, id, 80_000, true);
    const bidA = await bid(a, id, 79_000, true); // replaces its first bid before the deadline
    const bidB = await bid(b, id, 76_000, true); // a private non-enterprise school: not an SME whatever it declares (R9.10)
    const bidC = await bid(c, id, 85_000, false);

    // Sealed: nobody reads a price before the opening, and the database holds only ciphertext.
    const before = await h.http('GET', `/procurements/${id}`, { token: officer() });
    const shown = before.body.bids.find((x: any) => x.id === bidA);
    expect(shown).toMatchObject({ sealed: true, status: 'SUBMITTED' });
    expect(shown.pricePerPersonFen).toBeUndefined();
    expect(before.body.bids.find((x: any) => x.id === firstA).status).toBe('REPLACED');
    const row = await h.db.bid.findUniqueOrThrow({ where: { id: bidA } });
    expect(row.priceFen).toBeNull();
    const raw = Buffer.from(row.sealed).toString('latin1');
    expect(raw).not.toContain('79000');
    expect(raw).not.toContain('licence');
    const other = await h.http('GET', `/procurements/${id}`, { token: b.token });
    expect(other.body.bids.map((x: any) => x.id)).toEqual([bidB]); // an institution sees only its own
    expect((await h.db.bid.findUniqueOrThrow({ where: { id: bidB } })).smeDerived).toBe(true);

    const atOpening = await opened(id);
    expect(atOpening.lots[0].status).toBe('EVALUATING');
    const prices = Object.fromEntries(atOpening.bids.map((x: any) => [x.id, x.pricePerPersonFen]));
    expect(prices).toEqual({ [bidA]: 79_000, [bidB]: 76_000, [bidC]: 85_000 });

    // After the deadline: refused and kept as REFUSED, never opened.
    const late = await h.http('POST', `/procurements/${id}/lots/1/bids`, { token: c.token, body: bidBody(84_000, false) });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('DEADLINE_PASSED');
    expect(await h.db.bid.count({ where: { procurementId: id, status: 'REFUSED' } })).toBe(1);

    // R9.5 the committee: five drawn, none conflicted nor of the purchaser's staff.
    const seats = await eventually(async () => {
      const p = await h.http('GET', `/procurements/${id}`, { token: officer() });
      return p.body.committee?.length === 5 && p.body.committee;
    }, 'the committee');
    const seated = seats.map((s: any) => s.expertId);
    expect(seated).not.toContain(conflicted.id);
    expect(seated).not.toContain(staff.id);
    // One is absent: a new draw takes the one eligible expert left.
    const absent = seated[0];
    const released = await h.http('POST', `/procurements/${id}/committee/${absent}/release`, {
      token: officer(),
      body: { reason: 'ABSENT', note: '未按时到场' },
    });
    expect(released.status).toBe(200);
    const left = eligible.find((e) => !seated.includes(e.id))!;
    const members = await eventually(async () => {
      const p = await h.http('GET', `/procurements/${id}`, { token: officer() });
      const drawn = p.body.committee.filter((s: any) => s.status === 'DRAWN');
      return drawn.length === 5 && drawn.map((s: any) => s.expertId);
    }, 'the replacement');
    expect(members).toContain(left.id);
    expect(members).not.toContain(absent);

    // Someone not on the committee cannot score.
    const outsider = await h.http('POST', `/procurements/${id}/scores`, {
      token: conflicted.token,
      body: { scores: {}, sign: true },
    });
    expect(outsider.status).toBe(403);
    const tasks = await h.db.humanTask.findMany({ where: { caseId: id, kind: TASK_KINDS.procurementScoring, status: 'OPEN' } });
    expect(tasks).toHaveLength(5);

    // Each member scores in their own task: plan out of 40, teachers out of 30 (centipoints).
    const technical: Record<string, { plan: number; teachers: number }> = {
      [bidA]: { plan: 3_000, teachers: 2_000 },
      [bidB]: { plan: 3_200, teachers: 2_500 },
      [bidC]: { plan: 3_500, teachers: 2_600 },
    };
    const byUser = new Map(eligible.map((e) => [e.id, e]));
    for (const [i, expertId] of members.entries()) {
      const m = byUser.get(expertId)!;
      const res = await h.http('POST', `/procurements/${id}/scores`, {
        token: m.token,
        body: i === 4 ? { scores: technical, sign: false, dissent: '对丙的师资评分有保留意见' } : { scores: technical, sign: true },
      });
      expect(res.status).toBe(200);
      // A member sees their own scores, not the others'.
      const mine = res.body.committee.filter((s: any) => s.scores !== undefined);
      expect(mine.map((s: any) => s.expertId)).toEqual([expertId]);
    }

    // R9.5/R9.10: lowest evaluation price 79,000 × 90 % = 71,100 (A is an SME); B 76,000 and C 85,000 are not.
    const ranked = await eventually(async () => {
      const p = await h.http('GET', `/procurements/${id}`, { token: officer() });
      return p.body.lots[0].ranking && p.body.lots[0].ranking;
    }, 'the ranking');
    const byBid = Object.fromEntries(ranked.map((r: any) => [r.bidId, r]));
    expect(byBid[bidA]).toMatchObject({
      evaluationPriceFen: 71_100,
      priceCentipoints: 3_000,
      technicalCentipoints: 5_000,
      totalCentipoints: 8_000,
    });
    expect(byBid[bidB]).toMatchObject({ evaluationPriceFen: 76_000, priceCentipoints: 2_807, totalCentipoints: 8_507 }); // 71,100 ÷ 76,000 × 30 = 28.0658
    expect(byBid[bidC]).toMatchObject({ evaluationPriceFen: 85_000, priceCentipoints: 2_509, totalCentipoints: 8_609 }); // 71,100 ÷ 85,000 × 30 = 25.0941
    expect(ranked.map((r: any) => r.bidId)).toEqual([bidC, bidB, bidA]);

    // R9.6 the winner is the first-ranked: confirming another is refused.
    const wrong = await h.http('POST', `/procurements/${id}/lots/1/award`, { token: officer(), body: { bidId: bidA } });
    expect(wrong.status).toBe(422);
    const chosen = await h.http('POST', `/procurements/${id}/lots/1/award`, { token: officer(), body: { bidId: bidC } });
    expect(chosen.status).toBe(200);
    await eventually(async () => {
      const p = await h.http('GET', `/procurements/${id}`, { token: officer() });
      return p.body.lots[0].status === 'AWARDED';
    }, 'the award');
    // Each bidder learns its own score and rank.
    const mine = await h.http('GET', `/procurements/${id}`, { token: a.token });
    expect(mine.body.lots[0].myResult).toMatchObject({ rank: 3, totalCentipoints: 8_000 });
    const notices = await h.db.notification.findMany({
      where: { caseId: id, kind: { in: ['PROCUREMENT_AWARDED', 'PROCUREMENT_NOT_AWARDED'] } },
    });
    expect(notices).toHaveLength(3);

    // Only the winner signs; signing creates its qualification for the lot (R2.4).
    const notWinner = await h.http('POST', `/procurements/${id}/lots/1/contract`, { token: a.token, body: { sign: true } });
    expect(notWinner.status).toBe(403);
    const signed = await h.http('POST', `/procurements/${id}/lots/1/contract`, { token: c.token, body: { sign: true } });
    expect(signed.status).toBe(200);
    const lot = await eventually(async () => {
      const p = await h.http('GET', `/procurements/${id}`, { token: officer() });
      return p.body.lots[0].status === 'CONTRACTED' && p.body.lots[0];
    }, 'the contract');
    const q = await h.db.qualification.findUniqueOrThrow({ where: { id: lot.qualificationId } });
    expect(q).toMatchObject({
      route: 'TENDER',
      institutionId: c.institutionId,
      traineeCapacity: 30,
      pricePerPersonFen: 85_000n,
      regionCode: LULIANG,
    });
    expect(q.scope).toEqual([{ occupationCode: OCCUPATION, levels: [5, 4] }]);

    // R3.1 the published catalogue follows: the catalogues' amendment workflow is told of the new qualification
    // (it publishes an amendment over the latest published version; see test/api/catalogues.spec.ts).
    const toldCatalogue = await eventually(async () => {
      const history = await h.temporal.workflow
        .getHandle(amendmentWorkflowId(h.taskQueue))
        .fetchHistory()
        .catch(() => undefined);
      return history?.events?.some((e) =>
        (e.workflowExecutionSignaledEventAttributes?.input?.payloads ?? []).some((p) =>
          Buffer.from(p.data ?? [])
            .toString()
            .includes(lot.qualificationId),
        ),
      );
    }, 'the catalogue told of the new qualification');
    expect(toldCatalogue).toBe(true);

    // Every lot contracted and no challenge open: the process closes; its history replays on the current code.
    await eventually(async () => (await h.db.procurement.findUniqueOrThrow({ where: { id } })).status === 'CLOSED', 'the process closed');
    await replayAndMaybeRecord(h, procurementWorkflowId(id), 'procurement-open-tender-contracted');

    // R2.4 the winner's classes in that lot draw on its trainees and are paid the awarded price (≤ the R4.2 cap).
    await h.db.qualification.update({ where: { id: q.id }, data: { validFrom: new Date(Date.now() - 60 * 86_400_000) } });
    const winner = { institutionId: c.institutionId, token: c.token, qualificationId: q.id };
    const cls = await classWithRoster(h, {
      regionCode: LULIANG,
      category: 'WORKER',
      people: [{ attendancePercent: 95 }, { attendancePercent: 95 }, { attendancePercent: 95 }],
      institution: winner,
    });
    const klass = await h.http('GET', `/classes/${cls.classId}`, { token: c.token });
    expect(klass.body.catalogueStandardFen).toBe(85_000);
    const claim = await h.http('POST', '/claims', {
      token: c.token,
      body: { classId: cls.classId, category: 'WORKER', commitment: { text: COMMITMENT, agreed: true } },
    });
    expect(claim.status).toBe(201);
    const checked = await eventually(async () => {
      const got = await h.http('GET', `/claims/${claim.body.id}`, { token: c.token });
      return ['POSTED', 'AWAITING_FUNDS', 'PAID', 'UNDER_REVIEW', 'REJECTED'].includes(got.body.status) && got.body;
    }, 'the claim checked');
    expect({
      status: checked.status,
      approvedFen: checked.approvedFen,
      lines: checked.lines.map((l: any) => [l.amountFen, l.failures]),
    }).toEqual({
      status: expect.stringMatching(/POSTED|AWAITING_FUNDS|PAID/),
      approvedFen: 3 * 85_000,
      lines: expect.anything(),
    });
    // The lot bought 30 places: a roster that would take 31 is refused whole.
    await expect(
      classWithRoster(h, { regionCode: LULIANG, category: 'WORKER', people: Array.from({ length: 28 }, () => ({})), institution: winner }),
    ).rejects.toThrow(/LOT_CAPACITY_EXCEEDED/);

    // Public, without a token: the notices, and the process as an OCDS release package valid against the schema.
    const pub = await h.http('GET', `/public/procurements/${id}`);
    expect(pub.status).toBe(200);
    expect(pub.body.notices.map((n: any) => n.kind)).toEqual(expect.arrayContaining(['TENDER', 'LOT_OPENED', 'AWARD', 'CONTRACT']));
    const ocds = await h.http('GET', `/public/procurements/${id}/ocds`);
    expect(ocds.status).toBe(200);
    const validate = releasePackageValidator('extended');
    expect(validate(ocds.body) ? [] : validate.errors).toEqual([]);
    expect(ocds.body.releases.map((r: any) => r.tag[0])).toEqual(['planning', 'tender', 'award', 'contract']);
    expect(ocds.body.releases.at(-1).awards[0]).toMatchObject({ value: { amount: 25_500, currency: 'CNY' } });

    // Every step is in the audit trail.
    const actions = (await h.db.auditEvent.findMany({ where: { caseId: id }, orderBy: { at: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'PROCUREMENT_CREATED',
        'PROCUREMENT_PUBLISHED',
        'BID_SUBMITTED',
        'BIDS_OPENED',
        'COMMITTEE_DRAWN',
        'COMMITTEE_MEMBER_ABSENT',
        'COMMITTEE_MEMBER_REPLACED',
        'EVALUATION_SIGNED',
        'EVALUATION_DISSENT',
        'EVALUATION_REPORTED',
        'AWARD_CHOSEN',
        'CONTRACT_SIGNED',
      ]),
    );
  }, 120_000);
});
