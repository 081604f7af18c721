// A failed lot and what follows it, through HTTP on the real stack (R9.2, R9.3, R9.4): too few valid bids fail
// an open tender's lot and every bidder is told why; the officer negotiates with the two responsive bidders
// after the finance department's approval, or re-runs the tender as a new process linked to the failed one
// (both visible in the OCDS packages); a consultation for purchased services goes on with two suppliers.
// Linfen (141000) runs its periods in seconds.
import { releasePackageValidator } from '../support/ocds-schema';
import { addPolicyVersion, eventually, replayAndMaybeRecord, startHarness, type Harness } from '../support/harness';
import {
  OCCUPATION,
  bidBody,
  bidder,
  expertPool,
  methodBody,
  secondsProcurementPolicy,
  secondsSchedule,
  tenderBody,
  type Bidder,
  type Pool,
} from '../fixtures/procurement';
import { procurementWorkflowId } from '../../workflows/contracts/procurement';
import { TASK_KINDS } from '../../workflows/contracts/tasks';

let h: Harness;
let pool: Pool;
const LINFEN = '141000';

beforeAll(async () => {
  h = await startHarness();
  await addPolicyVersion(h, LINFEN, secondsProcurementPolicy(), 'test: procurement periods in seconds');
  // Negotiation and consultation panels have 3 members (R9.3, R9.4): a pool of 5 in the lot's field.
  pool = await expertPool(h, LINFEN, 5, OCCUPATION);
});
afterAll(async () => {
  await h?.stop();
});

const officer = () => h.token({ sub: 'procurement-officer', roles: ['procurement'], region: LINFEN });
const supervisor = () => h.token({ sub: 'finance-supervisor', roles: ['finance_supervisor'], region: LINFEN });

async function create(body: Record<string, unknown>) {
  const res = await h.http('POST', '/procurements', { token: officer(), body });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function publish(id: string, schedule?: ReturnType<typeof secondsSchedule>) {
  const res = await h.http('POST', `/procurements/${id}/publish`, { token: officer(), body: schedule ? { schedule } : {} });
  expect(res.status).toBe(200);
  return res.body;
}

async function bid(b: Bidder, id: string, price: number) {
  const res = await h.http('POST', `/procurements/${id}/lots/1/bids`, { token: b.token, body: bidBody(price, false) });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function read(id: string) {
  const res = await h.http('GET', `/procurements/${id}`, { token: officer() });
  expect(res.status).toBe(200);
  return res.body;
}

/** Waits for the opening: every lot has proceeded or failed. */
async function opened(id: string) {
  return eventually(
    async () => {
      const p = await read(id);
      return p.openedAt && p.lots.every((l: any) => l.status !== 'OPEN') && p;
    },
    'the opening',
    40_000,
  );
}

/** A process whose only lot fails at the opening with the two bids given (R9.2). */
async function failedTender(a: Bidder, b: Bidder) {
  const id = await create(tenderBody(LINFEN, secondsSchedule(2, 3, 10)));
  await publish(id);
  const bidA = await bid(a, id, 80_000);
  const bidB = await bid(b, id, 76_000);
  const p = await opened(id);
  expect(p.lots[0].status).toBe('FAILED');
  return { id, bidA, bidB, p };
}

/** Every seated member scores the valid bids (criteria as given) and signs; returns the ranking (R9.5). */
async function scoreAll(id: string, scores: Record<string, Record<string, number>>) {
  const seats = await eventually(async () => {
    const p = await read(id);
    return p.committee?.length === 3 && p.committee;
  }, 'the committee');
  const byExpert = new Map(pool.experts.map((e) => [e.id, e]));
  for (const s of seats) {
    const res = await h.http('POST', `/procurements/${id}/scores`, {
      token: byExpert.get(s.expertId)!.token,
      body: { scores, sign: true },
    });
    expect(res.status).toBe(200);
  }
  return eventually(async () => {
    const p = await read(id);
    return p.lots[0].ranking && p.lots[0].ranking;
  }, 'the ranking');
}

/** Confirms the first-ranked, the winner signs; returns the lot once contracted (R9.6, R2.4). */
async function awardAndSign(id: string, winnerBid: string, winner: Bidder) {
  const chosen = await h.http('POST', `/procurements/${id}/lots/1/award`, { token: officer(), body: { bidId: winnerBid } });
  expect(chosen.status).toBe(200);
  await eventually(async () => (await read(id)).lots[0].status === 'AWARDED', 'the award');
  const signed = await h.http('POST', `/procurements/${id}/lots/1/contract`, { token: winner.token, body: { sign: true } });
  expect(signed.status).toBe(200);
  return eventually(async () => {
    const l = (await read(id)).lots[0];
    return l.status === 'CONTRACTED' && l;
  }, 'the contract');
}

describe('a failed lot (废标) and what follows it (R9.2)', () => {
  it('R9.2 two valid bids fail the lot, every bidder is told why; negotiation with both after the finance department approves (MoF Order 74 art. 27), to a contract at the lowest price (R9.3)', async () => {
    const a = await bidder(h, LINFEN, '91', '临汾市甲培训学校有限公司');
    const b = await bidder(h, LINFEN, '91', '临汾市乙技能培训有限公司');
    const outsider = await bidder(h, LINFEN, '91', '临汾市丙培训有限公司');
    const { id, p } = await failedTender(a, b);

    // R9.2 the reasons, to every bidder of the lot.
    expect(p.lots[0].failureReasons.map((r: any) => r.code)).toEqual(['TOO_FEW_RESPONSIVE']);
    const told = await h.db.notification.findMany({ where: { caseId: id, kind: 'PROCUREMENT_LOT_FAILED' } });
    expect(told.map((n) => n.institutionId).sort()).toEqual([a.institutionId, b.institutionId].sort());
    for (const n of told) {
      expect(n.message).toContain('R9.2');
      expect(n.messageZh).toContain('不足3家');
    }
    // The officer's task, and the options the law leaves open: with exactly 2 responsive bidders, negotiation.
    const failureTask = await h.db.humanTask.findFirstOrThrow({ where: { caseId: id, kind: TASK_KINDS.procurementFailure } });
    expect(failureTask).toMatchObject({ status: 'OPEN', role: 'procurement' });
    const failure = p.events.find((e: any) => e.kind === 'FAILURE');
    expect(failure.details.options).toEqual(['RERUN', 'SWITCH_METHOD', 'NEGOTIATE_WITH_TWO']);

    // The officer chooses to negotiate with both: the finance department's approval comes first.
    const decided = await h.http('POST', `/procurements/${id}/lots/1/failure-decision`, {
      token: officer(),
      body: { choice: 'NEGOTIATE_WITH_TWO', reason: '仅两家供应商实质性响应，拟与两家谈判', schedule: secondsSchedule(30, 1, 40) },
    });
    expect(decided.status).toBe(200);
    expect(await h.db.humanTask.findUniqueOrThrow({ where: { id: failureTask.id } })).toMatchObject({ status: 'COMPLETED' });
    const approval = await h.db.humanTask.findFirstOrThrow({ where: { caseId: id, kind: TASK_KINDS.procurementFailureApproval } });
    expect(approval).toMatchObject({ status: 'OPEN', role: 'finance_supervisor' });
    expect(await h.db.procurement.count({ where: { followsId: id } })).toBe(0);

    // A procurement officer cannot approve; the finance supervisor does.
    const byOfficer = await h.http('POST', `/procurements/${id}/lots/1/failure-approval`, {
      token: officer(),
      body: { approve: true, reason: '自行批准' },
    });
    expect(byOfficer.status).toBe(403);
    const approved = await h.http('POST', `/procurements/${id}/lots/1/failure-approval`, {
      token: supervisor(),
      body: { approve: true, reason: '符合财政部令第74号第二十七条' },
    });
    expect(approved.status).toBe(200);
    const again = await h.http('POST', `/procurements/${id}/lots/1/failure-approval`, {
      token: supervisor(),
      body: { approve: true, reason: '重复审批' },
    });
    expect(again.status).toBe(409);

    // The negotiation: a new process in draft, following the failed one, inviting the two bidders, with its workflow.
    const next = await eventually(() => h.db.procurement.findFirst({ where: { followsId: id } }), 'the negotiation');
    expect(next).toMatchObject({ method: 'COMPETITIVE_NEGOTIATION', status: 'DRAFT', followsId: id, priceWeightPercent: 100 });
    expect([...next.invitedInstitutionIds].sort()).toEqual([a.institutionId, b.institutionId].sort());
    expect(next.criteria).toEqual([]);
    const draft = await read(next.id);
    expect(draft.state).toMatchObject({ status: 'DRAFT' });
    await eventually(async () => (await read(id)).status === 'FAILED', 'the failed process closing');

    // Only the invited respond.
    await publish(next.id, secondsSchedule(1, 1, 9));
    const uninvited = await h.http('POST', `/procurements/${next.id}/lots/1/bids`, { token: outsider.token, body: bidBody(70_000, false) });
    expect(uninvited.status).toBe(403);
    expect(uninvited.body.error.code).toBe('NOT_INVITED');
    const quoteA = await bid(a, next.id, 78_000);
    const quoteB = await bid(b, next.id, 75_000);

    // Both invited suppliers respond: the negotiation goes on with the two (R9.2), and the lowest price wins (R9.3).
    const atOpening = await opened(next.id);
    expect(atOpening.lots[0].status).toBe('EVALUATING');

    // R9.3 rounds of revised quotations; the panel signs only after the final round.
    const post = (path: string, token: string, body: unknown = {}) => h.http('POST', `/procurements/${next.id}${path}`, { token, body });
    expect((await post('/rounds', officer(), { final: false })).status).toBe(200);
    expect((await post(`/bids/${quoteA}/quotations`, a.token, { pricePerPersonFen: 74_000 })).status).toBe(201);
    expect((await post(`/bids/${quoteA}/quotations`, b.token, { pricePerPersonFen: 60_000 })).status).toBe(403); // not B's bid
    expect((await post(`/bids/${quoteB}/quotations`, b.token, { pricePerPersonFen: 95_000 })).status).toBe(422); // above the ceiling
    expect((await post('/rounds/close', officer())).status).toBe(200);
    const panel = await eventually(async () => {
      const p = await read(next.id);
      return p.committee?.length === 3 && p.committee;
    }, 'the negotiating panel');
    const member = pool.experts.find((e) => e.id === panel[0].expertId)!;
    const tooEarly = await h.http('POST', `/procurements/${next.id}/scores`, {
      token: member.token,
      body: { scores: { [quoteA]: {}, [quoteB]: {} }, sign: true },
    });
    expect([tooEarly.status, tooEarly.body.error.code]).toEqual([409, 'CASE_STATE_CONFLICT']);
    expect((await post('/rounds', officer(), { final: true })).status).toBe(200);
    expect((await post(`/bids/${quoteB}/quotations`, b.token, { pricePerPersonFen: 73_000 })).status).toBe(201);
    expect((await post('/rounds/close', officer())).status).toBe(200);
    expect((await post('/rounds', officer(), { final: false })).status).toBe(409); // the final round has closed
    const afterRounds = await read(next.id);
    expect(afterRounds.quotations.map((x: any) => [x.round, x.pricePerPersonFen])).toEqual([
      [1, 74_000],
      [2, 73_000],
    ]);

    // The lowest final quotation wins: A's last is 74,000 (round 1), B's 73,000.
    const ranking = await scoreAll(next.id, { [quoteA]: {}, [quoteB]: {} });
    expect(ranking.map((r: any) => [r.bidId, r.priceFen, r.totalCentipoints])).toEqual([
      [quoteB, 73_000, 10_000],
      [quoteA, 74_000, 9_865], // 73,000 ÷ 74,000 × 100 = 98.6486
    ]);
    const lot = await awardAndSign(next.id, quoteB, b);
    const q = await h.db.qualification.findUniqueOrThrow({ where: { id: lot.qualificationId } });
    expect(q).toMatchObject({ route: 'TENDER', institutionId: b.institutionId, pricePerPersonFen: 73_000n, regionCode: LINFEN });

    // Public: the negotiation names the tender it follows.
    const ocds = await h.http('GET', `/public/procurements/${next.id}/ocds`);
    const validate = releasePackageValidator('extended');
    expect(validate(ocds.body) ? [] : validate.errors).toEqual([]);
    expect(ocds.body.releases.at(-1).tender.procurementMethod).toBe('limited');
    // Both histories replay on the code: the failure with its approval, and the negotiation to its contract.
    await replayAndMaybeRecord(h, procurementWorkflowId(id), 'procurement-failed-negotiate');
    await eventually(async () => (await read(next.id)).status === 'CLOSED', 'the negotiation closing');
    await replayAndMaybeRecord(h, procurementWorkflowId(next.id), 'procurement-negotiation');
  }, 150_000);

  it('R9.2 a re-run needs no approval: a linked new process, and both OCDS packages name each other (tenderCancellation, relatedProcesses)', async () => {
    const a = await bidder(h, LINFEN, '91', '临汾市丁培训学校有限公司');
    const b = await bidder(h, LINFEN, '52', '临汾市戊职业培训学校');
    const { id } = await failedTender(a, b);

    // Negotiation is open here, but the officer fixes the documents and runs the tender again.
    const decided = await h.http('POST', `/procurements/${id}/lots/1/failure-decision`, {
      token: officer(),
      body: { choice: 'RERUN', reason: '资格条件设置过严，修改后重新招标', schedule: secondsSchedule(30, 4, 40) },
    });
    expect(decided.status).toBe(200);
    expect(await h.db.humanTask.count({ where: { caseId: id, kind: TASK_KINDS.procurementFailureApproval } })).toBe(0);
    const rerun = await eventually(() => h.db.procurement.findFirst({ where: { followsId: id } }), 'the re-run');
    expect(rerun).toMatchObject({ method: 'OPEN_TENDER', status: 'DRAFT', invitedInstitutionIds: [] });
    const failed = await eventually(async () => {
      const p = await read(id);
      return p.status === 'FAILED' && p;
    }, 'the failed process closing');
    expect(failed.events.map((e: any) => e.kind)).toEqual(expect.arrayContaining(['FAILURE', 'FOLLOWED_BY']));

    // A second decision for the same lot is refused.
    const twice = await h.http('POST', `/procurements/${id}/lots/1/failure-decision`, {
      token: officer(),
      body: { choice: 'RERUN', reason: '再次决定', schedule: secondsSchedule(30, 4, 40) },
    });
    expect(twice.status).toBe(409);

    // The re-run is public once published: each package names the other, and both are valid OCDS.
    await publish(rerun.id, secondsSchedule(2, 3, 60));
    const validate = releasePackageValidator('extended');
    const first = await h.http('GET', `/public/procurements/${id}/ocds`);
    expect(first.status).toBe(200);
    expect(validate(first.body) ? [] : validate.errors).toEqual([]);
    const tags = first.body.releases.map((r: any) => r.tag[0]);
    expect(tags).toContain('tenderCancellation');
    const last = first.body.releases.at(-1);
    expect(last.relatedProcesses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ identifier: expect.stringContaining(rerun.id), relationship: ['replacementProcess'] }),
      ]),
    );
    const second = await h.http('GET', `/public/procurements/${rerun.id}/ocds`);
    expect(second.status).toBe(200);
    expect(validate(second.body) ? [] : validate.errors).toEqual([]);
    expect(second.body.releases.at(-1).relatedProcesses).toEqual(
      expect.arrayContaining([expect.objectContaining({ identifier: expect.stringContaining(id), relationship: ['unsuccessfulProcess'] })]),
    );
    const pub = await h.http('GET', `/public/procurements/${id}`);
    expect(pub.body.followedBy).toEqual([{ id: rerun.id, title: rerun.title }]);
  }, 120_000);
});

describe('competitive consultation (竞争性磋商) for purchased services (R9.4)', () => {
  it('R9.4 (财库〔2015〕124号) goes on with two qualifying suppliers to an award', async () => {
    const a = await bidder(h, LINFEN, '91', '临汾市己培训有限公司');
    const b = await bidder(h, LINFEN, '91', '临汾市庚培训有限公司');
    const id = await create(methodBody('COMPETITIVE_CONSULTATION', LINFEN, secondsSchedule(2, 3, 10)));
    await publish(id);
    const bidA = await bid(a, id, 82_000);
    const bidB = await bid(b, id, 80_000);
    const p = await opened(id);
    expect(p.lots[0].status).toBe('EVALUATING');
    expect(p.events.find((e: any) => e.kind === 'LOT_OPENED').details).toMatchObject({ bids: 2, validBids: 2 });
    // Plan out of 40, teachers out of 30; price out of 30 by the lowest-price base (R9.5).
    const ranking = await scoreAll(id, { [bidA]: { plan: 3_800, teachers: 2_800 }, [bidB]: { plan: 3_000, teachers: 2_500 } });
    // A: 66 + 80,000 ÷ 82,000 × 30 = 29.27 → 95.27; B: 55 + 30 = 85.
    expect(ranking.map((r: any) => [r.bidId, r.totalCentipoints])).toEqual([
      [bidA, 9_527],
      [bidB, 8_500],
    ]);
    const lot = await awardAndSign(id, bidA, a);
    expect(lot.qualificationId).toBeTruthy();
  }, 120_000);

  it('R9.4 (财库〔2015〕124号) with one qualifying supplier the consultation fails, and negotiation with two is not offered', async () => {
    const a = await bidder(h, LINFEN, '91', '临汾市辛培训有限公司');
    const id = await create(methodBody('COMPETITIVE_CONSULTATION', LINFEN, secondsSchedule(2, 3, 10)));
    await publish(id);
    await bid(a, id, 82_000);
    const p = await opened(id);
    expect(p.lots[0].status).toBe('FAILED');
    expect(p.lots[0].failureReasons.map((r: any) => r.code)).toEqual(['TOO_FEW_RESPONSIVE']);
    expect(p.events.find((e: any) => e.kind === 'FAILURE').details.options).toEqual(['RERUN', 'SWITCH_METHOD']);
    const notAllowed = await h.http('POST', `/procurements/${id}/lots/1/failure-decision`, {
      token: officer(),
      body: { choice: 'NEGOTIATE_WITH_TWO', reason: '与一家谈判', schedule: secondsSchedule(30, 1, 40) },
    });
    expect(notAllowed.status).toBe(422);
    expect(await h.db.notification.count({ where: { caseId: id, kind: 'PROCUREMENT_LOT_FAILED', institutionId: a.institutionId } })).toBe(
      1,
    );
  }, 90_000);

  it('R9.2 a bid above the ceiling is refused at submission, so no over-budget bid is ever opened', async () => {
    const a = await bidder(h, LINFEN, '91', '临汾市壬培训有限公司');
    const id = await create(methodBody('COMPETITIVE_CONSULTATION', LINFEN, secondsSchedule(2, 3, 60)));
    await publish(id);
    const over = await h.http('POST', `/procurements/${id}/lots/1/bids`, { token: a.token, body: bidBody(90_001, false) });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'PRICE_ABOVE_CEILING' });
    expect(over.body.error.messageZh).toBeTruthy();
    expect(await h.db.bid.count({ where: { procurementId: id } })).toBe(0);
  }, 60_000);
});
