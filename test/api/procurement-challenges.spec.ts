// Clarifications, challenges and complaints through HTTP on the real stack (R9.1, R9.7): a late clarification
// moves the deadline and bidders re-confirm; a challenge to a step is dismissed and taken to the finance
// department; a challenge to the result stops the contract until it is upheld and the next-ranked signs; late
// challenges and bad input are refused with the error shape. Jinzhong (140700) runs its periods in seconds.
import { addPolicyVersion, eventually, replayAndMaybeRecord, startHarness, type Harness } from '../support/harness';
import {
  OCCUPATION,
  bidBody,
  bidder,
  expertPool,
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
const JINZHONG = '140700';
const SECONDS = (amount: number) => ({ unit: 'SECONDS', amount });
/** R9.1 the clarification lead and R9.7 the challenge window of this region, in seconds */
const LEAD = 12;
const WINDOW = 30;

beforeAll(async () => {
  h = await startHarness();
  await addPolicyVersion(
    h,
    JINZHONG,
    secondsProcurementPolicy(
      { clarificationLead: { OPEN_TENDER: SECONDS(LEAD), COMPETITIVE_NEGOTIATION: SECONDS(3), COMPETITIVE_CONSULTATION: SECONDS(3) } },
      { challengeWindow: SECONDS(WINDOW) },
    ),
    'test: procurement periods in seconds',
  );
  pool = await expertPool(h, JINZHONG, 6, OCCUPATION);
});
afterAll(async () => {
  await h?.stop();
});

const officer = () => h.token({ sub: 'procurement-officer', roles: ['procurement'], region: JINZHONG });
const supervisor = () => h.token({ sub: 'finance-supervisor', roles: ['finance_supervisor'], region: JINZHONG });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function read(id: string, token = officer()) {
  const res = await h.http('GET', `/procurements/${id}`, { token });
  expect(res.status).toBe(200);
  return res.body;
}

async function bid(b: Bidder, id: string, price: number) {
  const res = await h.http('POST', `/procurements/${id}/lots/1/bids`, { token: b.token, body: bidBody(price, false) });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

function expectErrorShape(res: { status: number; body: any }, status: number, code?: string) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code: code ?? res.body?.error?.code });
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.messageZh).toMatch(/[\u4e00-\u9fff]/);
}

describe('clarifications, challenges and complaints (R9.1, R9.7)', () => {
  // One open tender followed through: bidders A, B, C before a late clarification, D after it.
  let id: string;
  const bids: Record<string, string> = {};
  const who: Record<string, Bidder> = {};

  it('R9.1 (Regs 31) a clarification outside the lead time leaves the deadline; one inside it moves the deadline, tells every bidder and asks them to re-confirm', async () => {
    for (const [k, kind] of [
      ['A', '91'],
      ['B', '91'],
      ['C', '91'],
      ['D', '52'],
    ] as const) {
      who[k] = await bidder(h, JINZHONG, kind, `晋中市${k}培训学校`);
    }
    const created = await h.http('POST', '/procurements', { token: officer(), body: tenderBody(JINZHONG, secondsSchedule(2, 3, 24)) });
    expect(created.status).toBe(201);
    id = created.body.id;
    const published = await h.http('POST', `/procurements/${id}/publish`, { token: officer(), body: {} });
    expect(published.status).toBe(200);
    const deadline = published.body.state.responseDeadline as string;

    // Well before the deadline: no move.
    const early = await h.http('POST', `/procurements/${id}/clarifications`, {
      token: officer(),
      body: { text: '第三章评分标准中“师资”指专职教师。', affectsResponses: true },
    });
    expect(early.status).toBe(200);
    expect(early.body.state.responseDeadline).toBe(deadline);
    expect(new Date(early.body.schedule.responseDeadline).toISOString()).toBe(deadline);

    bids.A = await bid(who.A, id, 85_000);
    bids.B = await bid(who.B, id, 80_000);
    bids.C = await bid(who.C, id, 79_000);

    // Inside the lead time: the deadline moves to LEAD seconds from now.
    await sleep(Math.max(0, Date.parse(deadline) - (LEAD - 7) * 1000 - Date.now()));
    const before = Date.now();
    const late = await h.http('POST', `/procurements/${id}/clarifications`, {
      token: officer(),
      body: { text: '培训人数由30人调整为30人以上可分班，报价须相应说明。', affectsResponses: true },
    });
    expect(late.status).toBe(200);
    const moved = late.body.state.responseDeadline as string;
    expect(Date.parse(moved)).toBeGreaterThan(Date.parse(deadline));
    expect(Date.parse(moved)).toBeGreaterThanOrEqual(before + LEAD * 1000);
    const shown = await read(id);
    expect(new Date(shown.schedule.responseDeadline).toISOString()).toBe(moved);
    expect(shown.state.responseDeadline).toBe(moved);
    expect(shown.events.filter((e: any) => e.kind === 'AMENDMENT').map((e: any) => e.details.newDeadline)).toEqual([null, moved]);

    const told = await h.db.notification.findMany({ where: { caseId: id, kind: 'PROCUREMENT_DEADLINE_MOVED' } });
    expect(told.map((n) => n.institutionId).sort()).toEqual([who.A, who.B, who.C].map((b) => b.institutionId).sort());
    const mine = await read(id, who.A.token);
    expect(mine.bids).toEqual([expect.objectContaining({ id: bids.A, needsReconfirmation: true, sealed: true })]);

    // A and B re-confirm; C does not. Another institution cannot confirm A's bid.
    const foreign = await h.http('POST', `/procurements/${id}/bids/${bids.A}/confirm`, { token: who.B.token, body: {} });
    expect(foreign.status).toBe(403);
    for (const k of ['A', 'B']) {
      const ok = await h.http('POST', `/procurements/${id}/bids/${bids[k]}/confirm`, { token: who[k].token, body: {} });
      expect(ok.status).toBe(200);
    }
    expect((await read(id, who.A.token)).bids[0].needsReconfirmation).toBe(false);

    // Past the first deadline, before the new one: D still bids.
    await sleep(Math.max(0, Date.parse(deadline) + 300 - Date.now()));
    expect(Date.now()).toBeLessThan(Date.parse(moved));
    bids.D = await bid(who.D, id, 78_000);
  }, 90_000);

  it('R9.1 a bid not re-confirmed is invalid at the opening (NOT_RECONFIRMED); the confirmed ones are valid', async () => {
    const p = await eventually(
      async () => {
        const x = await read(id);
        return x.openedAt && x.lots[0].status !== 'OPEN' && x;
      },
      'the opening',
      40_000,
    );
    const byId = Object.fromEntries(p.bids.map((b: any) => [b.id, b]));
    expect(byId[bids.C]).toMatchObject({ valid: false, invalidReasons: ['NOT_RECONFIRMED'] });
    for (const k of ['A', 'B', 'D']) expect(byId[bids[k]]).toMatchObject({ valid: true, invalidReasons: [] });
    expect(p.lots[0].status).toBe('EVALUATING');
  }, 60_000);

  it('R9.7 a challenge to a step, dismissed, goes to the finance department: only the challenger complains; a suspension beyond the maximum is refused; the supervisor decides', async () => {
    // C challenges the opening that invalidated its bid, within the 7 working days (here WINDOW seconds).
    const filed = await h.http('POST', `/procurements/${id}/challenges`, {
      token: who.C.token,
      body: { subject: 'STEP', text: '开标时认定我方投标无效不当，我方已在截止前确认。' },
    });
    expect(filed.status).toBe(201);
    const challengeId = filed.body.id as string;
    expect(filed.body).toMatchObject({ status: 'OPEN', subject: 'STEP', institutionId: who.C.institutionId });
    expect(await h.db.humanTask.count({ where: { caseId: id, kind: TASK_KINDS.procurementChallenge, status: 'OPEN' } })).toBe(1);
    // A challenge to a step may change the result: signing is stopped while it is open.
    expect((await read(id)).state.challengesBlockingSigning).toBe(1);

    // Only the purchaser's officer answers.
    const byBidder = await h.http('POST', `/procurements/${id}/challenges/${challengeId}/answer`, {
      token: who.C.token,
      body: { upheld: true, answer: '自行认定' },
    });
    expect(byBidder.status).toBe(403);
    const dismissed = await h.http('POST', `/procurements/${id}/challenges/${challengeId}/answer`, {
      token: officer(),
      body: { upheld: false, answer: '经核查，贵单位未在顺延后的截止时间前确认投标，质疑不成立。' },
    });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({ status: 'DISMISSED' });
    expect(dismissed.body.complaintDueAt).toBeTruthy();
    expect(await h.db.notification.count({ where: { caseId: id, kind: 'CHALLENGE_ANSWERED', institutionId: who.C.institutionId } })).toBe(
      1,
    );
    const twice = await h.http('POST', `/procurements/${id}/challenges/${challengeId}/answer`, {
      token: officer(),
      body: { upheld: true, answer: '改为成立' },
    });
    expect(twice.status).toBe(409);

    // Another institution cannot complain about C's challenge; C can.
    const other = await h.http('POST', `/procurements/${id}/challenges/${challengeId}/complaint`, {
      token: who.A.token,
      body: { text: '代为投诉' },
    });
    expectErrorShape(other, 403);
    const complained = await h.http('POST', `/procurements/${id}/challenges/${challengeId}/complaint`, {
      token: who.C.token,
      body: { text: '对质疑答复不满意，向财政部门投诉。' },
    });
    expect(complained.status).toBe(200);
    expect(complained.body).toMatchObject({ complaintStatus: 'OPEN' });
    const task = await h.db.humanTask.findFirstOrThrow({ where: { caseId: id, kind: TASK_KINDS.procurementComplaint } });
    expect(task).toMatchObject({ status: 'OPEN', role: 'finance_supervisor' });
    const again = await h.http('POST', `/procurements/${id}/challenges/${challengeId}/complaint`, {
      token: who.C.token,
      body: { text: '再次投诉' },
    });
    expect(again.status).toBe(409);

    // The finance department decides: not the officer; a suspension beyond the policy's maximum (30 days) is refused.
    const byOfficer = await h.http('POST', `/procurements/${id}/challenges/${challengeId}/complaint-decision`, {
      token: officer(),
      body: { upheld: false, decision: '驳回' },
    });
    expect(byOfficer.status).toBe(403);
    const tooLong = await h.http('POST', `/procurements/${id}/challenges/${challengeId}/complaint-decision`, {
      token: supervisor(),
      body: { upheld: false, decision: '暂停采购活动', suspendDays: 31 },
    });
    expectErrorShape(tooLong, 422, 'INVALID_DECISION');
    expect(tooLong.body.error.details).toEqual([expect.objectContaining({ field: 'suspendDays' })]);
    const decided = await h.http('POST', `/procurements/${id}/challenges/${challengeId}/complaint-decision`, {
      token: supervisor(),
      body: { upheld: false, decision: '投诉事项缺乏事实依据，驳回投诉。' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ complaintStatus: 'DISMISSED', suspendedUntil: null });
    expect(await h.db.humanTask.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: 'COMPLETED' });
    expect(await h.db.notification.count({ where: { caseId: id, kind: 'COMPLAINT_DECIDED', institutionId: who.C.institutionId } })).toBe(1);
    expect((await read(id)).state.challengesBlockingSigning).toBe(0);
  }, 60_000);

  it('R9.7 a challenge after its window is refused (409 DEADLINE_PASSED), and a window cannot be stretched by a date in the future', async () => {
    const p = await read(id);
    // The documents' window runs WINDOW seconds from the end of the tender announcement.
    await sleep(Math.max(0, Date.parse(p.state.announcementEndsAt) + WINDOW * 1000 + 200 - Date.now()));
    const late = await h.http('POST', `/procurements/${id}/challenges`, {
      token: who.A.token,
      body: { subject: 'DOCUMENTS', text: '招标文件资格条件具有倾向性。' },
    });
    expectErrorShape(late, 409, 'DEADLINE_PASSED');
    const stretched = await h.http('POST', `/procurements/${id}/challenges`, {
      token: who.A.token,
      body: { subject: 'DOCUMENTS', text: '招标文件资格条件具有倾向性。', receivedAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expectErrorShape(stretched, 422);
    expect(await h.db.procurementChallenge.count({ where: { procurementId: id, institutionId: who.A.institutionId } })).toBe(0);
  }, 60_000);

  it('R9.7 a challenge to the result stops the contract (409) until it is upheld; the award goes to the next-ranked, who signs (R9.6, Regs 49)', async () => {
    // The committee scores: A first, B second, D third (plan out of 40, teachers out of 30, price out of 30).
    const seats = await eventually(async () => {
      const x = await read(id);
      return x.committee?.length === 5 && x.committee;
    }, 'the committee');
    const technical = {
      [bids.A]: { plan: 3_800, teachers: 2_800 },
      [bids.B]: { plan: 3_000, teachers: 2_500 },
      [bids.D]: { plan: 2_000, teachers: 2_000 },
    };
    const byExpert = new Map(pool.experts.map((e) => [e.id, e]));
    for (const s of seats) {
      const res = await h.http('POST', `/procurements/${id}/scores`, {
        token: byExpert.get(s.expertId)!.token,
        body: { scores: technical, sign: true },
      });
      expect(res.status).toBe(200);
    }
    const ranking = await eventually(async () => (await read(id)).lots[0].ranking, 'the ranking');
    expect(ranking.map((r: any) => [r.bidId, r.totalCentipoints])).toEqual([
      [bids.A, 9_353], // 66 + 78,000 ÷ 85,000 × 30 = 27.53
      [bids.B, 8_425], // 55 + 78,000 ÷ 80,000 × 30 = 29.25
      [bids.D, 7_000], // 40 + 30
    ]);
    const chosen = await h.http('POST', `/procurements/${id}/lots/1/award`, { token: officer(), body: { bidId: bids.A } });
    expect(chosen.status).toBe(200);
    await eventually(async () => (await read(id)).lots[0].status === 'AWARDED', 'the award');

    // B challenges the result within the window, which starts when the result announcement ends.
    const filed = await h.http('POST', `/procurements/${id}/challenges`, {
      token: who.B.token,
      body: { subject: 'RESULT', lotNumber: 1, text: '第一名的师资证明材料不实。' },
    });
    expect(filed.status).toBe(201);
    const challengeId = filed.body.id as string;
    const blocked = await h.http('POST', `/procurements/${id}/lots/1/contract`, { token: who.A.token, body: { sign: true } });
    expectErrorShape(blocked, 409, 'CASE_STATE_CONFLICT');
    expect(blocked.body.error.message).toContain('R9.7');

    // Upheld on the result: a remedy is named, and the next-ranked takes the award.
    const noRemedy = await h.http('POST', `/procurements/${id}/challenges/${challengeId}/answer`, {
      token: officer(),
      body: { upheld: true, answer: '质疑成立' },
    });
    expectErrorShape(noRemedy, 422, 'INVALID_DECISION');
    const upheld = await h.http('POST', `/procurements/${id}/challenges/${challengeId}/answer`, {
      token: officer(),
      body: { upheld: true, answer: '经核查，第一名师资证明材料不实，质疑成立，依次确定第二名。', remedy: 'NEXT_RANKED' },
    });
    expect(upheld.status).toBe(200);
    expect(upheld.body).toMatchObject({ status: 'UPHELD', remedy: 'NEXT_RANKED' });

    // The choice again, in ranking order without A: confirming A is refused, B is confirmed.
    const choosable = await eventually(async () => {
      const x = await read(id);
      return x.lots[0].status === 'EVALUATING' && x.lots[0].awardedBidId === null && x;
    }, 'the award withdrawn');
    expect(choosable.events.filter((e: any) => e.kind === 'AWARD_CANCELLED').map((e: any) => e.details)).toEqual([
      { bidId: bids.A, reason: 'CHALLENGE_UPHELD' },
    ]);
    const stale = await eventually(async () => {
      const r = await h.http('POST', `/procurements/${id}/lots/1/award`, { token: officer(), body: { bidId: bids.A } });
      return r.status === 422 && r;
    }, 'the next choice');
    expect(stale.body.error.code).toBe('INVALID_DECISION');
    const next = await h.http('POST', `/procurements/${id}/lots/1/award`, { token: officer(), body: { bidId: bids.B } });
    expect(next.status).toBe(200);
    await eventually(async () => {
      const l = (await read(id)).lots[0];
      return l.status === 'AWARDED' && l.awardedBidId === bids.B;
    }, 'the award to the next-ranked');

    const formerWinner = await h.http('POST', `/procurements/${id}/lots/1/contract`, { token: who.A.token, body: { sign: true } });
    expect(formerWinner.status).toBe(403);
    const signed = await h.http('POST', `/procurements/${id}/lots/1/contract`, { token: who.B.token, body: { sign: true } });
    expect(signed.status).toBe(200);
    const lot = await eventually(async () => {
      const l = (await read(id)).lots[0];
      return l.status === 'CONTRACTED' && l;
    }, 'the contract');
    const q = await h.db.qualification.findUniqueOrThrow({ where: { id: lot.qualificationId } });
    expect(q).toMatchObject({ route: 'TENDER', institutionId: who.B.institutionId, pricePerPersonFen: 80_000n });
    await eventually(async () => (await read(id)).status === 'CLOSED', 'the process closing');
    // The whole history (clarifications, challenges, complaint, award withdrawn and given again) replays on the code.
    await replayAndMaybeRecord(h, procurementWorkflowId(id), 'procurement-challenged');
  }, 120_000);
});

describe('bad input to procurement endpoints (issue 9 item 9)', () => {
  it('R9 malformed bodies, unknown ids and wrong lot numbers get a 4xx with the error shape, never a 5xx', async () => {
    const inst = await bidder(h, JINZHONG, '91', '晋中市输入校验培训有限公司');
    const created = await h.http('POST', '/procurements', { token: officer(), body: tenderBody(JINZHONG, secondsSchedule(2, 3, 300)) });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const unknown = '3f0b8f9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

    const draftPublic = await h.http('GET', `/public/procurements/${id}`);
    expectErrorShape(draftPublic, 404);
    expect((await h.http('POST', `/procurements/${id}/publish`, { token: officer(), body: {} })).status).toBe(200);
    const myBid = await bid(inst, id, 80_000);

    const cases: [string, string, { token?: string; body?: unknown; raw?: string }, number][] = [
      ['POST', '/procurements', { token: officer(), raw: '{"title": ' }, 400],
      ['POST', '/procurements', { token: officer(), body: {} }, 400],
      ['POST', '/procurements', { token: officer(), body: { ...tenderBody(JINZHONG, secondsSchedule(2, 3, 300)), surprise: 1 } }, 400],
      ['POST', '/procurements', { token: officer(), body: tenderBody(JINZHONG, { documentsFrom: 'soon' } as never) }, 400],
      ['GET', '/procurements/not-a-uuid', { token: officer() }, 404], // a malformed id is an unknown one
      ['GET', `/procurements/${unknown}`, { token: officer() }, 404],
      ['POST', `/procurements/${id}/publish`, { token: officer(), body: {} }, 409],
      ['POST', `/procurements/${unknown}/publish`, { token: officer(), body: {} }, 404],
      ['POST', `/procurements/${id}/clarifications`, { token: officer(), body: { text: '缺少字段' } }, 400],
      ['POST', `/procurements/${id}/lots/abc/bids`, { token: inst.token, body: bidBody(80_000, false) }, 400],
      ['POST', `/procurements/${id}/lots/9/bids`, { token: inst.token, body: bidBody(80_000, false) }, 404],
      ['POST', `/procurements/${id}/lots/0/bids`, { token: inst.token, body: bidBody(80_000, false) }, 400],
      [
        'POST',
        `/procurements/${id}/lots/1/bids`,
        { token: inst.token, body: { ...bidBody(80_000, false), pricePerPersonFen: '80000' } },
        400,
      ],
      ['POST', `/procurements/${id}/lots/1/bids`, { token: inst.token, body: { ...bidBody(80_000, false), pricePerPersonFen: -1 } }, 400],
      ['POST', `/procurements/${id}/lots/1/bids`, { token: inst.token, raw: 'not json' }, 400],
      ['POST', `/procurements/${id}/bids/${unknown}/withdraw`, { token: inst.token, body: {} }, 404],
      ['POST', `/procurements/${id}/bids/nope/confirm`, { token: inst.token, body: {} }, 404],
      ['POST', `/procurements/${unknown}/bids/${myBid}/withdraw`, { token: inst.token, body: {} }, 404],
      ['POST', `/procurements/${id}/scores`, { token: pool.experts[0].token, body: { scores: { x: { plan: 1 } }, sign: true } }, 400],
      ['POST', `/procurements/${id}/scores`, { token: pool.experts[0].token, body: { scores: {}, sign: true } }, 409],
      ['POST', `/procurements/${id}/lots/1/award`, { token: officer(), body: { bidId: 'first' } }, 400],
      ['POST', `/procurements/${id}/lots/9/award`, { token: officer(), body: { bidId: unknown } }, 409],
      ['POST', `/procurements/${id}/lots/1/failure-decision`, { token: officer(), body: { choice: 'GIVE_UP', reason: 'x' } }, 400],
      ['POST', `/procurements/${id}/lots/9/failure-approval`, { token: supervisor(), body: { approve: true, reason: '批准' } }, 409],
      ['POST', `/procurements/${id}/lots/x/contract`, { token: inst.token, body: { sign: true } }, 400],
      ['POST', `/procurements/${id}/lots/1/contract`, { token: inst.token, body: { sign: false } }, 400],
      ['POST', `/procurements/${id}/lots/1/contract`, { token: inst.token, body: { sign: true } }, 409],
      ['POST', `/procurements/${id}/challenges`, { token: inst.token, body: { subject: 'EVERYTHING', text: '质疑' } }, 400],
      ['POST', `/procurements/${id}/challenges`, { token: inst.token, body: { subject: 'RESULT', lotNumber: 9, text: '质疑' } }, 422],
      ['POST', `/procurements/${id}/challenges`, { token: inst.token, body: { subject: 'RESULT', text: '质疑' } }, 422],
      [
        'POST',
        `/procurements/${id}/challenges`,
        { token: inst.token, body: { subject: 'STEP', text: '质疑', stepEndedAt: 'yesterday' } },
        400,
      ],
      ['POST', `/procurements/${id}/challenges/${unknown}/answer`, { token: officer(), body: { upheld: false, answer: '不成立' } }, 404],
      ['POST', `/procurements/${id}/challenges/${unknown}/complaint`, { token: inst.token, body: { text: '投诉' } }, 404],
      [
        'POST',
        `/procurements/${id}/challenges/${unknown}/complaint-decision`,
        { token: supervisor(), body: { upheld: false, decision: '驳回', suspendDays: 0 } },
        400,
      ],
      ['POST', `/procurements/${id}/committee/${unknown}/release`, { token: officer(), body: { reason: 'ASLEEP', note: 'x' } }, 400],
      ['POST', `/procurements/${id}/committee/${unknown}/release`, { token: officer(), body: { reason: 'ABSENT', note: '缺席' } }, 409],
      ['GET', `/public/procurements/${unknown}/ocds`, {}, 404],
      ['GET', '/public/procurements/zzz', {}, 404],
    ];
    for (const [method, path, opts, status] of cases) {
      const res = await h.http(method, path, opts);
      expect({ call: `${method} ${path}`, body: opts.body ?? opts.raw, status: res.status }).toEqual({
        call: `${method} ${path}`,
        body: opts.body ?? opts.raw,
        status,
      });
      expectErrorShape(res, status);
    }
    // Nothing of this was stored: still the one bid, no challenge.
    expect(await h.db.bid.count({ where: { procurementId: id } })).toBe(1);
    expect(await h.db.procurementChallenge.count({ where: { procurementId: id } })).toBe(0);
  }, 90_000);
});
