// Deadlines and timers of the filing and qualification lifecycles, with short policy durations set for
// the test regions through POST /policy/versions (policy parameters are effective-dated, per region).
import { qualificationActionSignal, institutionWorkflowId } from '../../workflows/contracts/institution';
import { application, newInstitutionId } from '../fixtures/filing';
import { addPolicyVersion, eventually, replayAndMaybeRecord, startHarness, type Harness } from '../support/harness';
import { TASK_KINDS } from '../../workflows/contracts/tasks';

let h: Harness;
const YINGZE = '140106'; // reviews and amendments last seconds here
const XINGHUALING = '140107'; // qualifications last seconds here

beforeAll(async () => {
  h = await startHarness();
  await addPolicyVersion(
    h,
    YINGZE,
    { filing: { reviewPeriod: { unit: 'SECONDS', amount: 2 }, amendmentPeriod: { unit: 'SECONDS', amount: 3 } } },
    'test: short review and amendment periods',
  );
  await addPolicyVersion(
    h,
    XINGHUALING,
    { qualification: { validity: { unit: 'SECONDS', amount: 8 }, expiryReminderLead: { unit: 'SECONDS', amount: 5 } } },
    'test: qualifications valid for seconds',
  );
});
afterAll(async () => {
  await h?.stop();
});

const staff = (role: 'reviewer' | 'lead_reviewer', region = '140100') => h.token({ sub: `${role}-1`, roles: [role], region });

async function file(region: string) {
  const institutionId = newInstitutionId();
  const token = h.token({ sub: `inst-${institutionId.slice(0, 6)}`, roles: ['institution'], region, institution: institutionId });
  const app = application({ regionCode: region });
  const res = await h.http('POST', '/filings', { token, body: app });
  expect(res.status).toBe(201);
  return { token, app, institutionId, filingId: res.body.id as string };
}

async function taskOf(filingId: string, role: 'reviewer' | 'lead_reviewer') {
  return eventually(async () => {
    const inbox = await h.http('GET', '/tasks?limit=200', { token: staff(role) });
    return inbox.body.items.find((t: any) => t.caseId === filingId);
  }, `a ${role} task`);
}

describe('filing deadlines (working-day periods are policy parameters)', () => {
  it('records the policy versions in force when the case opened', async () => {
    const { filingId, token } = await file(YINGZE);
    const filing = await eventually(async () => {
      const f = await h.http('GET', `/filings/${filingId}`, { token });
      return f.body.policyVersionIds.length === 2 && f.body;
    }, 'policy versions recorded');
    const policy = await h.http('GET', `/policy?region=${YINGZE}`, { token: staff('reviewer') });
    expect(policy.body.versionIds).toEqual(filing.policyVersionIds);
    expect(policy.body.parameters.filing.reviewPeriod).toEqual({ unit: 'SECONDS', amount: 2 });
    expect(policy.body.parameters.subsidy.enterpriseEmployeeFen).toBe(30_000); // R4.1 from the province
  });

  it('escalates an overdue review to the region lead reviewer, who can decide it', async () => {
    const { filingId, app } = await file(YINGZE);
    const leadTask = await taskOf(filingId, 'lead_reviewer');
    expect(leadTask).toMatchObject({ kind: TASK_KINDS.filingReviewEscalated, status: 'OPEN' });
    const original = await h.http('GET', `/tasks/${leadTask.escalatedFromId}`, { token: staff('reviewer') });
    expect(original.body).toMatchObject({ escalated: true, status: 'OPEN', overdue: true });

    const decided = await h.http('POST', `/tasks/${leadTask.id}/decision`, {
      token: staff('lead_reviewer'),
      body: { outcome: 'APPROVE', grantedScope: app.scope },
    });
    expect(decided.status).toBe(200);
    expect((await h.http('GET', `/tasks/${original.body.id}`, { token: staff('reviewer') })).body.status).toBe('COMPLETED');
    const workflowId = (await h.db.filing.findUniqueOrThrow({ where: { id: filingId } })).workflowId;
    await eventually(async () => (await h.temporal.workflow.getHandle(workflowId).describe()).status.name === 'COMPLETED', 'completion');
    await replayAndMaybeRecord(h, workflowId, 'filing-escalated-approved');
  });

  it('withdraws an application not resubmitted by the amendment deadline, and refuses a late resubmission', async () => {
    const { filingId, token, app } = await file(YINGZE);
    const task = await taskOf(filingId, 'reviewer');
    const returned = await h.http('POST', `/tasks/${task.id}/decision`, {
      token: staff('reviewer'),
      body: { outcome: 'RETURN', reason: '缺少场地证明' },
    });
    expect(returned.status).toBe(200);
    const filing = await eventually(
      async () => {
        const f = await h.http('GET', `/filings/${filingId}`, { token });
        return f.body.status === 'WITHDRAWN' && f.body;
      },
      'withdrawal',
      20_000,
    );
    expect(filing.audit.at(-1)).toMatchObject({ action: 'FILING_WITHDRAWN', actorId: 'system' });
    const late = await h.http('POST', `/filings/${filingId}/resubmissions`, { token, body: app });
    expect(late.status).toBe(409);
    expect(late.body.error.messageZh).toBeTruthy();
    expect(await h.db.filingRevision.count({ where: { filingId } })).toBe(1);
    await replayAndMaybeRecord(h, filing.workflowId, 'filing-returned-withdrawn');
  });
});

describe('qualification lifecycle (entity workflow per institution)', () => {
  it('reminds the institution before expiry, then expires the qualification on its date', async () => {
    const { filingId, app, token } = await file(XINGHUALING);
    const task = await taskOf(filingId, 'reviewer');
    const decided = await h.http('POST', `/tasks/${task.id}/decision`, {
      token: staff('reviewer'),
      body: { outcome: 'APPROVE', grantedScope: app.scope },
    });
    const id = decided.body.qualificationId;
    await eventually(async () => (await h.http('GET', `/qualifications/${id}`, { token })).body.reminderSentAt, 'expiry reminder', 20_000);
    expect((await h.http('GET', `/qualifications/${id}`, { token })).body.status).toBe('ACTIVE');
    expect(await h.db.notification.count({ where: { caseId: id, kind: 'QUALIFICATION_EXPIRY_REMINDER' } })).toBe(1);
    const expired = await eventually(
      async () => {
        const q = await h.http('GET', `/qualifications/${id}`, { token });
        return q.body.status === 'EXPIRED' && q.body;
      },
      'expiry',
      20_000,
    );
    expect(new Date(expired.validTo).getTime()).toBeLessThanOrEqual(Date.now());
    await replayAndMaybeRecord(h, institutionWorkflowId(app.creditCode), 'institution-reminder-expiry');
  });

  it('is suspended, reinstated and revoked by signals from later lifecycles, each audited once', async () => {
    const { filingId, app, token } = await file('140105');
    const task = await taskOf(filingId, 'reviewer');
    const decided = await h.http('POST', `/tasks/${task.id}/decision`, {
      token: staff('reviewer'),
      body: { outcome: 'APPROVE', grantedScope: app.scope },
    });
    const id = decided.body.qualificationId;
    const entity = h.temporal.workflow.getHandle(institutionWorkflowId(app.creditCode));
    const statusIs = (s: string) => eventually(async () => (await h.http('GET', `/qualifications/${id}`, { token })).body.status === s, s);

    await entity.signal(qualificationActionSignal, {
      action: 'SUSPEND',
      reason: '涉嫌虚假培训，立案调查',
      actorId: 'inspector-1',
      actionId: 'inv-1:suspend',
    });
    await entity.signal(qualificationActionSignal, {
      action: 'SUSPEND',
      reason: 'repeated signal',
      actorId: 'inspector-1',
      actionId: 'inv-1:suspend',
    });
    await statusIs('SUSPENDED');
    await entity.signal(qualificationActionSignal, {
      action: 'REINSTATE',
      reason: '调查结论：非主观故意',
      actorId: 'inspector-1',
      actionId: 'inv-1:reinstate',
    });
    await statusIs('ACTIVE');
    await entity.signal(qualificationActionSignal, {
      action: 'REVOKE',
      reason: '列入黑名单 (R7.4)',
      actorId: 'admin-1',
      actionId: 'bl-1:revoke',
    });
    await statusIs('REVOKED');
    const audit = await h.db.auditEvent.findMany({ where: { caseId: id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual([
      'QUALIFICATION_GRANTED',
      'QUALIFICATION_SUSPENDED',
      'QUALIFICATION_ACTIVE',
      'QUALIFICATION_REVOKED',
    ]);
    await replayAndMaybeRecord(h, institutionWorkflowId(app.creditCode), 'institution-suspend-reinstate-revoke');
  });
});
