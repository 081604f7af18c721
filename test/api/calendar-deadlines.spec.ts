// R9.9 every pending deadline follows the calendar as data, through HTTP: an objection task's due date, the
// end of a claim's posting (R10.2) and a returned filing's amendment deadline (R2.1) computed over a year no
// calendar version covers are provisional, and are recomputed from their own event when that year is loaded.
//
// The test database is shared by every test file: calendar.spec.ts loads 2027 and expects it uncovered until
// then, so these deadlines reach into 2028 instead, through a Changzhi policy version whose periods are
// calendar DAYS ending in the 2028 Spring Festival. A DAYS deadline consults only its last day and the days it
// rolls over to (Civil Code 203), so loading 2027 meanwhile cannot change it. Changzhi claims nothing in other
// files (ledger.spec.ts only allocates there); the claim here is under full review and its lines are all
// upheld, so nothing is paid.
import http from 'node:http';
import { claimWorkflowId } from '../../workflows/contracts/claim';
import {
  addDays,
  calendarFromData,
  deadline,
  officialCalendar,
  shanghaiDate,
  type CoveredCalendar,
  type PolicyPeriod,
} from '../../workflows/domain/calendar';
import { HOLIDAYS_2028, TEST_2028_SOURCE, WORKDAYS_2028 } from '../fixtures/calendar-2028';
import { classWithRoster } from '../fixtures/claims';
import { application, newInstitutionId } from '../fixtures/filing';
import { addPolicyVersion, eventually, replayAndMaybeRecord, startHarness, type Harness } from '../support/harness';
import { TASK_KINDS } from '../../workflows/contracts/tasks';

let h: Harness;
const CHANGZHI = '140400';
const YEAR = 2028;
/** The last day the periods aim at: a Friday inside the fixture's Spring Festival break (25 Jan – 2 Feb). */
const TARGET = '2028-01-28';

// From today (China time) to TARGET in calendar days: an event today or tomorrow (the test may cross
// midnight) has its last day on 28 or 29 January, a working day or a weekend Mon–Fri, a holiday once 2028 is
// loaded.
const toTarget: PolicyPeriod = {
  unit: 'DAYS',
  amount: Math.round((Date.parse(TARGET) - Date.parse(shanghaiDate(new Date()))) / 86_400_000),
};

const with2028: CoveredCalendar = calendarFromData({
  coveredYears: [YEAR],
  holidays: HOLIDAYS_2028.map((d) => d.date),
  workdays: WORKDAYS_2028.map((d) => d.date),
});

/** The due dates an event between two instants (less than a day apart) can have on a calendar, and whether provisional. */
function dueBetween(from: number, to: number, cal: CoveredCalendar) {
  const ds = [from, to].map((t) => deadline(new Date(t), toTarget, cal));
  return { ends: ds.map((d) => d.end.toISOString()), provisional: ds.map((d) => d.provisional) };
}
const iso = (d: string | Date) => new Date(d).toISOString();

const admin = () => h.token({ sub: 'deadlines-admin', roles: ['admin'], region: '140000' });
const reviewer = () => h.token({ sub: 'deadlines-reviewer', roles: ['reviewer'], region: CHANGZHI });

async function openTask(caseId: string, kind: string) {
  return eventually(async () => {
    const inbox = await h.http('GET', `/tasks?limit=200&kind=${kind}`, { token: reviewer() });
    return inbox.body.items.find((t: any) => t.caseId === caseId && t.status === 'OPEN');
  }, `task ${kind}`);
}

async function claimWhere(token: string, claimId: string, ok: (c: any) => boolean, what: string) {
  return eventually(async () => {
    const c = (await h.http('GET', `/claims/${claimId}`, { token })).body;
    return ok(c) && c;
  }, what);
}

/**
 * A member of the public objecting from their own address: objections are limited per source (R10.2), and
 * every other test file objects from 127.0.0.1 on the same database, so this one comes from 127.0.0.44.
 */
function objectFromOwnAddress(claimId: string, body: object): Promise<{ status: number; body: any }> {
  const url = new URL(`${h.baseUrl}/public/claims/${claimId}/objections`);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: '127.0.0.44',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const completed = (workflowId: string) =>
  eventually(
    async () => (await h.temporal.workflow.getHandle(workflowId).describe()).status.name === 'COMPLETED',
    `${workflowId} completed`,
    60_000,
  );

beforeAll(async () => {
  h = await startHarness();
  await addPolicyVersion(
    h,
    CHANGZHI,
    {
      filing: { amendmentPeriod: toTarget },
      claim: { reviewPeriod: toTarget, postingPeriod: toTarget },
      postAudit: { sampleRatePercent: 0 },
    },
    'test: claim and amendment deadlines reaching into 2028 (R9.9)',
  );
});
afterAll(async () => {
  await h?.stop();
});

describe('R9.9 provisional deadlines that are not review tasks', () => {
  // Shared by the steps below, which run in order.
  const claim = {
    id: '',
    token: '',
    postedFrom: 0,
    postedTo: 0,
    objectionTaskId: '',
    objectionFrom: 0,
    objectionTo: 0,
    lineIds: [] as string[],
  };
  const filing = { id: '', workflowId: '', token: '', app: application({ regionCode: CHANGZHI }), returnedFrom: 0, returnedTo: 0 };

  it('R9.9 R10.2 R2.1 flags an objection task, a posting end and an amendment deadline over an uncovered year as provisional', async () => {
    expect(toTarget.amount).toBeGreaterThan(0);
    expect((await h.http('GET', `/calendar/${YEAR}`, { token: admin() })).body.covered).toBe(false);

    // A claim under full review (no commitment): the reviewer approves both lines, the list is posted.
    const setup = await classWithRoster(h, {
      regionCode: CHANGZHI,
      category: 'ENTERPRISE_EMPLOYEE',
      people: [{ attendancePercent: 100 }, { attendancePercent: 100 }],
    });
    claim.token = setup.token;
    const created = await h.http('POST', '/claims', {
      token: setup.token,
      body: { classId: setup.classId, category: 'ENTERPRISE_EMPLOYEE' },
    });
    expect(created.status).toBe(201);
    claim.id = created.body.id;
    const review = await openTask(claim.id, TASK_KINDS.claimReview);
    expect(review.dueProvisional).toBe(true);
    claim.lineIds = (await h.http('GET', `/claims/${claim.id}`, { token: reviewer() })).body.lines.map((l: any) => l.id);
    claim.postedFrom = Date.now();
    const approved = await h.http('POST', `/tasks/${review.id}/decision`, {
      token: reviewer(),
      body: { lines: claim.lineIds.map((lineId) => ({ lineId, approve: true })) },
    });
    expect(approved.status).toBe(200);
    const posted = await claimWhere(setup.token, claim.id, (c) => c.status === 'POSTED', 'posted');
    claim.postedTo = Date.now();
    const postingDue = dueBetween(claim.postedFrom, claim.postedTo, officialCalendar); // 2028 counted Mon–Fri
    expect(postingDue.provisional).toEqual([true, true]);
    expect(postingDue.ends).toContain(iso(posted.postingEndsAt));
    expect(posted.postingEndsProvisional).toBe(true);
    expect(dueBetween(claim.postedFrom, claim.postedTo, with2028).ends).not.toContain(iso(posted.postingEndsAt)); // the arrangement does change it

    // An objection naming both lines: its task is due in 2028, provisional too.
    claim.objectionFrom = Date.now();
    const objection = await objectFromOwnAddress(claim.id, { text: '两名学员均未参加培训', lineIds: claim.lineIds });
    expect(objection.status).toBe(201);
    const objectionTask = await openTask(claim.id, TASK_KINDS.claimObjection);
    claim.objectionTo = Date.now();
    claim.objectionTaskId = objectionTask.id;
    expect(objectionTask.dueProvisional).toBe(true);
    expect(dueBetween(claim.objectionFrom, claim.objectionTo, officialCalendar).ends).toContain(iso(objectionTask.dueAt));

    // A filing returned automatically as incomplete (R2.1): its amendment deadline is provisional.
    const institutionId = newInstitutionId();
    filing.token = h.token({
      sub: `inst-${institutionId.slice(0, 6)}`,
      roles: ['institution'],
      region: CHANGZHI,
      institution: institutionId,
    });
    filing.returnedFrom = Date.now();
    const filed = await h.http('POST', '/filings', {
      token: filing.token,
      body: { ...filing.app, scope: [{ occupationCode: '9-99-99-99', levels: [5] }] },
    });
    expect(filed.status).toBe(201);
    filing.id = filed.body.id;
    const returned = await eventually(async () => {
      const f = (await h.http('GET', `/filings/${filing.id}`, { token: filing.token })).body;
      return f.status === 'RETURNED' && f;
    }, 'automatic return');
    filing.returnedTo = Date.now();
    filing.workflowId = returned.workflowId;
    expect(returned.tasks).toEqual([]); // no task carries this deadline
    expect(returned.amendmentDueProvisional).toBe(true);
    expect(dueBetween(filing.returnedFrom, filing.returnedTo, officialCalendar).ends).toContain(iso(returned.amendmentDueAt));
  }, 120_000);

  it('R9.9 recomputes them from their own events when the year is loaded, keeping the stored copies and timers in step', async () => {
    const beforePosting = iso((await h.http('GET', `/claims/${claim.id}`, { token: reviewer() })).body.postingEndsAt);
    const beforeAmendment = iso((await h.http('GET', `/filings/${filing.id}`, { token: filing.token })).body.amendmentDueAt);

    const loaded = await h.http('POST', '/calendar/versions', {
      token: admin(),
      body: { year: YEAR, source: TEST_2028_SOURCE, holidays: HOLIDAYS_2028, workdays: WORKDAYS_2028 },
    });
    expect(loaded.status).toBe(201);
    expect(loaded.body).toMatchObject({ year: YEAR, covered: true, version: 1 });
    // At least the claim and the filing (the filing has no open task: it is found by its amendment deadline).
    expect(loaded.body.workflowsSignalled).toBeGreaterThanOrEqual(2);

    const objectionTask = await eventually(async () => {
      const t = (await h.http('GET', `/tasks/${claim.objectionTaskId}`, { token: reviewer() })).body;
      return t.dueProvisional === false && t;
    }, 'the objection task recomputed');
    expect(dueBetween(claim.objectionFrom, claim.objectionTo, with2028).ends).toContain(iso(objectionTask.dueAt));

    const moved = await claimWhere(claim.token, claim.id, (c) => c.postingEndsProvisional === false, 'the posting end recomputed');
    expect(dueBetween(claim.postedFrom, claim.postedTo, with2028).ends).toContain(iso(moved.postingEndsAt));
    expect(moved.status).toBe('HELD'); // the objection still holds it; the posting period runs on
    expect(iso((await h.http('GET', `/public/postings/${claim.id}`)).body.postingEndsAt)).toBe(iso(moved.postingEndsAt)); // what the public reads

    const amended = await eventually(async () => {
      const f = (await h.http('GET', `/filings/${filing.id}`, { token: filing.token })).body;
      return f.amendmentDueProvisional === false && f;
    }, 'the amendment deadline recomputed');
    expect(amended.status).toBe('RETURNED');
    expect(dueBetween(filing.returnedFrom, filing.returnedTo, with2028).ends).toContain(iso(amended.amendmentDueAt));
    expect(iso(amended.amendmentDueAt)).not.toBe(beforeAmendment);

    const audit = await h.db.auditEvent.findMany({
      where: { caseId: { in: [claim.id, filing.id] }, action: { in: ['TASK_DUE_RECOMPUTED', 'DEADLINE_RECOMPUTED'] } },
    });
    expect(audit.map((a) => [a.caseId, a.action, (a.details as any).deadline ?? (a.details as any).taskId]).sort()).toEqual(
      [
        [claim.id, 'DEADLINE_RECOMPUTED', 'CLAIM_POSTING_END'],
        [claim.id, 'TASK_DUE_RECOMPUTED', claim.objectionTaskId],
        [filing.id, 'DEADLINE_RECOMPUTED', 'FILING_AMENDMENT'],
      ].sort(),
    );
    expect(audit.find((a) => (a.details as any).deadline === 'CLAIM_POSTING_END')!.details).toMatchObject({
      from: beforePosting,
      to: iso(moved.postingEndsAt),
      provisional: false,
    });

    // The workflows wait on the moved deadlines: resubmitting before the new amendment deadline is accepted,
    // even where the provisional one would have passed (it is earlier, so nothing can show that here).
    const resubmitted = await h.http('POST', `/filings/${filing.id}/resubmissions`, { token: filing.token, body: filing.app });
    expect(resubmitted.status).toBe(200);
    const secondReview = await openTask(filing.id, TASK_KINDS.filingReview);
    const approved = await h.http('POST', `/tasks/${secondReview.id}/decision`, {
      token: reviewer(),
      body: { outcome: 'APPROVE', grantedScope: filing.app.scope },
    });
    expect(approved.status).toBe(200);

    // Both lines upheld: nothing is left to post or pay, the claim is rejected (R10.2).
    const upheld = await h.http('POST', `/tasks/${claim.objectionTaskId}/decision`, {
      token: reviewer(),
      body: { outcome: 'UPHOLD', reason: '经核实两名学员均未参训', lineIds: claim.lineIds },
    });
    expect(upheld.status).toBe(200);
    const rejected = await claimWhere(claim.token, claim.id, (c) => c.status === 'REJECTED', 'rejected');
    expect(rejected).toMatchObject({ approvedFen: 0, paidFen: 0 });

    await completed(filing.workflowId);
    await completed(claimWorkflowId(claim.id));
    await replayAndMaybeRecord(h, filing.workflowId, 'filing-amendment-recomputed-approved');
    await replayAndMaybeRecord(h, claimWorkflowId(claim.id), 'claim-posting-objection-recomputed-upheld');
  }, 180_000);
});

// Keeps the fixture honest: the target day is a weekday Mon–Fri and a holiday of the loaded arrangement.
it('R9.9 the 2028 fixture makes the provisional and the covered deadlines differ', () => {
  for (const day of [TARGET, addDays(TARGET, 1)]) {
    expect(with2028.isWorkingDay(day)).toBe(false);
    expect(officialCalendar.covers(day)).toBe(false);
  }
  expect(officialCalendar.isWorkingDay(TARGET)).toBe(true);
});
