// procurementWorkflow on its own (issue 8.4): the branches the HTTP tests reach only slowly or not at all —
// the purchaser's choice not confirmed in time (R9.6: the first-ranked is chosen), a winner who declines and
// one who does not sign in time (R9.6, Regs 49: the next-ranked, then the lot fails and is run again) — and
// the Update validators, with stub activities and periods in seconds.
import { WORKFLOW_TYPES } from '../../workflows/contracts/common';
import {
  bidUpdate,
  chooseAwardUpdate,
  contractUpdate,
  procurementStateQuery,
  publishUpdate,
  scoreUpdate,
  type ProcurementState,
} from '../../workflows/contracts/procurement';
import type { procurementWorkflow } from '../../workflows/procurement.workflow';
import { DEFAULT_POLICY, type PolicyParameters } from '../../workflows/domain/policy';
import { commonStubs, refusal, shortPolicy, startStubWorld, pollUntil, wid, type StubWorld } from './stub-worker';

const seconds = (amount: number) => ({ unit: 'SECONDS' as const, amount });
const policy: PolicyParameters = {
  ...shortPolicy(),
  procurement: {
    ...DEFAULT_POLICY.procurement,
    tenderAnnouncement: seconds(1),
    periods: {
      ...DEFAULT_POLICY.procurement.periods,
      winnerChoice: seconds(2),
      resultAnnouncement: seconds(1),
      contractSigning: seconds(2),
      challengeWindow: seconds(1),
    },
  },
};
const officer = { userId: 'officer', roles: ['procurement'], regionCode: '141100' };
const member = { userId: 'u1', roles: ['evaluator'], regionCode: '141100' };
const bidder = (i: string) => ({ userId: `user-${i}`, roles: ['institution'], regionCode: '141100', institutionId: i });

let w: StubWorld;
beforeAll(async () => {
  w = await startStubWorld({
    ...commonStubs(policy),
    recordProcurementOpened: () => ({
      criteria: [{ key: 'plan', maxCentipoints: 7_000 }],
      ceilings: [{ number: 1, ceilingPricePerPersonFen: 90_000 }],
    }),
    recordProcurementPublished: () => ({ responseDeadline: new Date(Date.now() + 2_000).toISOString() }),
    openBids: () => ({ lots: [{ number: 1, proceed: true, validBidIds: ['b1', 'b2', 'b3'], options: [] }] }),
    drawCommittee: () => ({ seats: [{ expertId: 'e1', userId: 'u1', taskId: 't-score' }] }),
    recordScores: () => 't-score',
    rankLots: () => ({ lots: [{ number: 1, candidates: ['b2', 'b1', 'b3'] }] }),
    openProcurementTask: (input) => input.taskId,
    recordAward: () => ({ awardNoticeAt: new Date().toISOString() }),
    recordContract: () => ({
      qualificationId: 'q1',
      institutionId: 'i1',
      creditCode: 'c',
      validTo: new Date().toISOString(),
      reminderAt: new Date().toISOString(),
    }),
  });
});
afterAll(() => w?.stop());

/** A process published, with three bids taken, opened and scored: the ranking is b2, b1, b3. */
async function ranked() {
  const workflowId = wid('procurement');
  const handle = await w.env.client.workflow.start<typeof procurementWorkflow>(WORKFLOW_TYPES.procurement, {
    taskQueue: w.taskQueue,
    workflowId,
    args: [{ procurementId: workflowId, method: 'OPEN_TENDER', regionCode: '141100', lots: [1], createdBy: officer }],
  });
  await handle.executeUpdate(publishUpdate, { args: [{ actor: officer }] });
  for (const [bidId, inst] of [
    ['b1', 'i1'],
    ['b2', 'i2'],
    ['b3', 'i3'],
  ]) {
    await handle.executeUpdate(bidUpdate, { args: [{ actor: bidder(inst), bidId, lotNumber: 1, institutionId: inst }] });
  }
  const state = (ok: (s: ProcurementState) => boolean, what: string) => pollUntil(() => handle.query(procurementStateQuery), ok, what);
  await state((s) => s.seatsToScore === 1, 'the committee');
  // A member scores every valid bid on every criterion (R9.5): an incomplete sheet is refused.
  const incomplete = await refusal(
    handle.executeUpdate(scoreUpdate, { args: [{ actor: member, scores: { b1: { plan: 5_000 } }, sign: true }] }),
  );
  expect(incomplete.type).toBe('INVALID_DECISION');
  const stranger = await refusal(
    handle.executeUpdate(scoreUpdate, { args: [{ actor: { ...member, userId: 'u9' }, scores: {}, sign: true }] }),
  );
  expect(stranger.type).toBe('FORBIDDEN');
  const sheet = { b1: { plan: 5_000 }, b2: { plan: 6_000 }, b3: { plan: 4_000 } };
  await handle.executeUpdate(scoreUpdate, { args: [{ actor: member, scores: sheet, sign: true }] });
  await state((s) => s.lots[0].candidates?.length === 3, 'the ranking');
  return { workflowId, handle, state };
}

const awards = (workflowId: string) => w.callsOf(workflowId, 'recordAward').map((c) => [c.input.bidId, c.input.automatic]);

describe('procurementWorkflow with stub activities', () => {
  it('R9.1 refuses a bid after the response deadline', async () => {
    const { handle } = await ranked();
    const late = await refusal(
      handle.executeUpdate(bidUpdate, { args: [{ actor: bidder('i4'), bidId: 'b4', lotNumber: 1, institutionId: 'i4' }] }),
    );
    expect(late.type).toBe('DEADLINE_PASSED');
    await handle.terminate('test done');
  });

  it('R9.6 a choice not confirmed in time falls to the first-ranked; only the first-ranked can be confirmed', async () => {
    const { workflowId, handle, state } = await ranked();
    const wrong = await refusal(handle.executeUpdate(chooseAwardUpdate, { args: [{ actor: officer, lotNumber: 1, bidId: 'b1' }] }));
    expect(wrong.type).toBe('INVALID_DECISION');
    await state((s) => s.lots[0].status === 'AWARDED', 'the automatic award');
    expect(awards(workflowId)).toEqual([['b2', true]]);
    await handle.terminate('test done');
  });

  it('R9.6 (Regs 49) a winner who declines gives way to the next-ranked; one who does not sign in time too; then the lot fails for a re-run', async () => {
    const { workflowId, handle, state } = await ranked();
    await handle.executeUpdate(chooseAwardUpdate, { args: [{ actor: officer, lotNumber: 1, bidId: 'b2' }] });
    await state((s) => s.lots[0].status === 'AWARDED' && s.lots[0].awardedBidId === 'b2', 'the award to b2');
    // Only the awarded institution answers the contract.
    const other = await refusal(
      handle.executeUpdate(contractUpdate, { args: [{ actor: bidder('i1'), lotNumber: 1, institutionId: 'i1', sign: true }] }),
    );
    expect(other.type).toBe('FORBIDDEN');
    await handle.executeUpdate(contractUpdate, {
      args: [{ actor: bidder('i2'), lotNumber: 1, institutionId: 'i2', sign: false, reason: '无法履约' }],
    });
    // b1 is next: confirmed late, then not signed in 2 s; b3 likewise; nobody is left.
    await state((s) => s.lots[0].status === 'FAILED', 'the lot failed without a winner');
    // The state changes before the activities that follow it: wait for the officer's task to be opened.
    await pollUntil(
      async () => w.callsOf(workflowId, 'openProcurementTask').map((c) => c.input.kind),
      (kinds) => kinds.includes('PROCUREMENT_FAILURE'),
      'the failure task',
    );
    expect(awards(workflowId)).toEqual([
      ['b2', false],
      ['b1', true],
      ['b3', true],
    ]);
    expect(w.callsOf(workflowId, 'withdrawAward').map((c) => c.input.reason)).toEqual([
      'DECLINED',
      'NOT_SIGNED_IN_TIME',
      'NOT_SIGNED_IN_TIME',
    ]);
    expect(w.callsOf(workflowId, 'failLotWithoutWinner')).toHaveLength(1);
    expect(w.callsOf(workflowId, 'openProcurementTask').map((c) => c.input.kind)).toContain('PROCUREMENT_FAILURE');
    expect(w.callsOf(workflowId, 'recordContract')).toHaveLength(0);
    await handle.terminate('test done');
  });
});
