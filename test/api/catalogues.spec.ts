// The catalogues end to end (R3.1, R2.3, R4.2): compile on demand, approve through /tasks, public versions with
// filters, CSV and diffs, an amendment after a revocation, a class's standard taken from the catalogue, the
// annual Schedule, and the evaluation institutions (评价机构) an admin registers. The catalogue compiled here is next year's (in force from 1 January), so classes that other
// test files open today keep the R4.2 cap; assertions filter by this file's own institutions.
import { randomUUID } from 'node:crypto';
import { ensureCatalogueSchedule } from '../../apps/worker/src/schedule';
import { EVALUATOR_CSV_HEADERS, INSTITUTION_CSV_HEADERS, PROJECT_CSV_HEADERS } from '../../apps/api/src/catalogues/catalogue.dto';
import { amendmentWorkflowId, annualCatalogueWorkflowId, CATALOGUE_SCHEDULE_ID } from '../../workflows/contracts/catalogue';
import { institutionWorkflowId, qualificationActionSignal } from '../../workflows/contracts/institution';
import { addDays, shanghaiDate } from '../../workflows/domain/calendar';
import { parseCsv } from '../../workflows/domain/roster';
import { classWithRoster } from '../fixtures/claims';
import { creditCode } from '../fixtures/filing';
import { qualifiedInstitution, type QualifiedInstitution } from '../fixtures/qualified-institution';
import { eventually, replayAndMaybeRecord, startHarness, type Harness } from '../support/harness';

let h: Harness;
const YEAR = Number(shanghaiDate(new Date()).slice(0, 4)) + 1;
let a: QualifiedInstitution; // Xiaodian 140105, 家政服务员 5–3 and 养老护理员 5–4
let b: QualifiedInstitution; // Taiyuan 140100
let c: QualifiedInstitution; // Xiaodian, 保育师 level 5 only: revoked below
let annual: number; // the number the annual version is published as
let e1: any; // evaluation institution, Taiyuan 140100, 家政服务员 5–3, valid over the whole year
let e2: any; // Datong 140200, 养老护理员 5
let e3: any; // Taiyuan, its validity ends before 1 January: not listed

const admin = () => h.token({ sub: 'catalogue-admin', roles: ['admin'], region: '140000' });
const reviewer = () => h.token({ sub: 'catalogue-reviewer', roles: ['reviewer'], region: '140000' });
const published = (n: number, query = '') => h.http('GET', `/public/catalogues/${n}${query}`);
const evaluator = (over: Record<string, unknown> = {}) => ({
  name: '山西省职业技能鉴定评价中心',
  creditCode: creditCode('140100'),
  regionCode: '140100',
  scope: [{ occupationCode: '4-10-01-06', levels: [3, 5, 4] }],
  validFrom: `${YEAR - 1}-01-01T00:00:00+08:00`,
  validTo: `${YEAR + 2}-01-01T00:00:00+08:00`,
  ...over,
});
const register = async (body: Record<string, unknown>) => {
  const res = await h.http('POST', '/evaluation-institutions', { token: admin(), body });
  expect(res.status).toBe(201);
  return res.body;
};

beforeAll(async () => {
  h = await startHarness();
  [a, b, c] = await Promise.all([
    qualifiedInstitution(h, { regionCode: '140105' }),
    qualifiedInstitution(h, { regionCode: '140100' }),
    qualifiedInstitution(h, { regionCode: '140105', scope: [{ occupationCode: '4-10-01-03', levels: [5] }] }),
  ]);
  e1 = await register(evaluator());
  e2 = await register(
    evaluator({
      name: '大同市评价机构',
      creditCode: creditCode('140200'),
      regionCode: '140200',
      scope: [{ occupationCode: '4-10-01-05', levels: [5] }],
    }),
  );
  e3 = await register(evaluator({ name: '已到期的评价机构', validTo: `${YEAR}-01-01T00:00:00+08:00` }));
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

describe('annual catalogue (R3.1)', () => {
  it('is compiled on demand, reviewed with its diff, and published as the next numbered version', async () => {
    expect((await h.http('POST', '/catalogues/compilations', { token: reviewer(), body: { year: YEAR, kind: 'ANNUAL' } })).status).toBe(
      403,
    );
    expect((await h.http('POST', '/catalogues/compilations', { token: admin(), body: { year: YEAR, kind: 'AMENDMENT' } })).status).toBe(
      400,
    );
    const started = await h.http('POST', '/catalogues/compilations', { token: admin(), body: { year: YEAR, kind: 'ANNUAL' } });
    expect(started.status).toBe(202);
    const again = await h.http('POST', '/catalogues/compilations', { token: admin(), body: { year: YEAR, kind: 'ANNUAL' } });
    expect(again.status).toBe(409);

    const task = await eventually(
      async () =>
        (await h.http('GET', '/tasks?kind=CATALOGUE_REVIEW&limit=200', { token: reviewer() })).body.items.find(
          (t: any) => t.caseType === 'CATALOGUE',
        ),
      'the review task',
    );
    expect(task.title).toContain(`${YEAR}年度`);
    const draft = (await h.http('GET', `/catalogues/drafts/${task.caseId}`, { token: reviewer() })).body;
    expect(draft).toMatchObject({ status: 'DRAFT', number: null, year: YEAR, kind: 'ANNUAL' });
    const listed = draft.institutions.map((i: any) => i.qualificationId);
    expect(listed).toEqual(expect.arrayContaining([a.qualificationId, b.qualificationId, c.qualificationId]));
    expect(draft.diff.institutions.added.map((i: any) => i.qualificationId)).toEqual(expect.arrayContaining([a.qualificationId]));
    const evaluatorIds = draft.evaluators.map((e: any) => e.evaluationInstitutionId);
    expect(evaluatorIds).toEqual(expect.arrayContaining([e1.id, e2.id]));
    expect(evaluatorIds).not.toContain(e3.id); // not valid on 1 January
    expect(draft.diff.evaluators.added.map((e: any) => e.evaluationInstitutionId)).toEqual(expect.arrayContaining([e1.id, e2.id]));

    const noReason = await h.http('POST', `/tasks/${task.id}/decision`, { token: reviewer(), body: { outcome: 'REJECT' } });
    expect(noReason.status).toBe(422);
    const approved = await h.http('POST', `/tasks/${task.id}/decision`, {
      token: reviewer(),
      body: { outcome: 'APPROVE', reason: '经审核，同意发布' },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'PUBLISHED',
      number: expect.any(Number),
      effectiveFrom: new Date(`${YEAR}-01-01T00:00:00+08:00`).toISOString(),
    });
    annual = approved.body.number;
    expect((await h.http('POST', `/tasks/${task.id}/decision`, { token: reviewer(), body: { outcome: 'APPROVE' } })).status).toBe(409);

    const versions = (await h.http('GET', '/public/catalogues')).body.items;
    expect(versions).toEqual(
      expect.arrayContaining([expect.objectContaining({ number: annual, kind: 'ANNUAL', year: YEAR, reason: null })]),
    );
    expect(JSON.stringify(versions)).not.toContain('catalogue-reviewer'); // no personal data
    // Published rows are immutable (trigger).
    await expect(h.db.catalogueProject.updateMany({ where: { versionId: task.caseId }, data: { standardFen: 1 } })).rejects.toThrow(
      /immutable/,
    );
    await expect(h.db.catalogueEvaluator.updateMany({ where: { versionId: task.caseId }, data: { name: 'x' } })).rejects.toThrow(
      /immutable/,
    );
    await expect(h.db.catalogueEvaluator.deleteMany({ where: { versionId: task.caseId } })).rejects.toThrow(/immutable/);
    // R3.1: …and a published version accepts no new rows, in any of its three lists (trigger).
    const versionId = task.caseId;
    const project = {
      versionId,
      occupationCode: '4-10-01-06',
      occupationNameZh: '插入',
      level: 1,
      regionCode: '140000',
      standardFen: 1n,
      hours: 1,
      institutionIds: [],
    };
    const listedInstitution = {
      versionId,
      institutionId: a.institutionId,
      name: 'x',
      type: 'ENTERPRISE' as const,
      regionCode: '140100',
      route: 'FILING' as const,
      scope: [],
      validFrom: new Date(),
      validTo: new Date(),
      qualificationId: randomUUID(),
    };
    const listedEvaluator = {
      versionId,
      evaluationInstitutionId: randomUUID(),
      name: 'x',
      creditCode: 'x',
      regionCode: '140100',
      scope: [],
      validFrom: new Date(),
      validTo: new Date(),
    };
    await expect(h.db.catalogueProject.create({ data: project })).rejects.toThrow(/accepts no new rows/);
    await expect(h.db.catalogueInstitution.create({ data: listedInstitution })).rejects.toThrow(/accepts no new rows/);
    await expect(h.db.catalogueEvaluator.create({ data: listedEvaluator })).rejects.toThrow(/accepts no new rows/);
    expect(await h.db.catalogueProject.count({ where: { versionId, occupationNameZh: '插入' } })).toBe(0);

    const workflowId = annualCatalogueWorkflowId(YEAR);
    await eventually(async () => (await h.temporal.workflow.getHandle(workflowId).describe()).status.name === 'COMPLETED', 'completion');
    await replayAndMaybeRecord(h, workflowId, 'catalogue-annual-approved');
  });

  it('serves a version with filters by institution, region, occupation and level (R4.2 standards)', async () => {
    const mine = (await published(annual, `?institution=${a.institutionId}`)).body;
    expect(mine.institutions.map((i: any) => i.qualificationId)).toEqual([a.qualificationId]);
    expect(mine.projects.map((p: any) => `${p.occupationCode}/${p.level}`).sort()).toEqual([
      '4-10-01-05/4',
      '4-10-01-05/5',
      '4-10-01-06/3',
      '4-10-01-06/4',
      '4-10-01-06/5',
    ]);
    expect(mine.projects.find((p: any) => p.occupationCode === '4-10-01-06' && p.level === 5)).toMatchObject({
      occupationNameZh: '家政服务员',
      regionCode: '140000',
      standardFen: 60_000,
      hours: 40,
      institutions: [{ id: a.institutionId, name: expect.any(String) }],
    });
    expect(mine.projects.every((p: any) => p.standardFen <= 100_000)).toBe(true);

    const xiaodian = (await published(annual, '?region=140105&occupation=4-10-01-03&level=5')).body;
    const ids = xiaodian.projects.flatMap((p: any) => p.institutions.map((i: any) => i.id));
    expect(ids).toContain(c.institutionId);
    expect(ids).not.toContain(b.institutionId); // B is in Taiyuan city, not Xiaodian
    expect(xiaodian.institutions.every((i: any) => i.regionCode === '140105')).toBe(true);

    for (const bad of ['?level=9', '?region=abc', '?institution=x', '?colour=red', '?format=xml']) {
      const res = await published(annual, bad);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', messageZh: expect.any(String) });
    }
    expect((await h.http('GET', '/public/catalogues/abc')).status).toBe(400);
    const unknown = await published(99_999);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.messageZh).toMatch(/目录/);
  });

  it('exports CSV that Excel opens with Chinese text (BOM, CRLF) and that reads back to the same entries', async () => {
    const res = await fetch(`${h.baseUrl}/public/catalogues/${annual}?format=csv&institution=${a.institutionId}`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="catalogue-\d+-projects\.csv"; filename\*=UTF-8''/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('\r\n');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const [header, ...rows] = parseCsv(text).records;
    expect(header).toEqual(PROJECT_CSV_HEADERS);
    const json = (await published(annual, `?institution=${a.institutionId}`)).body;
    const back = rows.map((r) => ({
      occupationCode: r[0],
      occupationNameZh: r[1],
      level: Number(r[2]),
      regionCode: r[3],
      standardFen: Math.round(Number(r[4]) * 100),
      hours: Number(r[5]),
      institutions: r[6],
    }));
    expect(back).toEqual(json.projects.map((p: any) => ({ ...p, institutions: p.institutions.map((i: any) => i.name).join('；') })));

    const inst = await fetch(`${h.baseUrl}/public/catalogues/${annual}?format=csv&table=institutions&institution=${c.institutionId}`);
    const [instHeader, row] = parseCsv(await inst.text()).records;
    expect(instHeader).toEqual(INSTITUTION_CSV_HEADERS);
    expect(row.slice(0, 5)).toEqual([c.institutionId, expect.stringMatching(/[\u4e00-\u9fff]/), '企业', '140105', '审核备案']);
  });
});

describe('evaluation institutions (评价机构, R3.1)', () => {
  it('are registered by an admin only, with a valid GB 32100 credit code, once per code; any user lists them', async () => {
    expect(e1).toMatchObject({
      id: expect.any(String),
      status: 'ACTIVE',
      regionCode: '140100',
      scope: [{ occupationCode: '4-10-01-06', levels: [5, 4, 3] }],
      createdBy: 'catalogue-admin',
    });
    const forbidden = await h.http('POST', '/evaluation-institutions', { token: reviewer(), body: evaluator() });
    expect(forbidden.status).toBe(403);
    const code = creditCode('140100');
    const bad = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    const badCode = await h.http('POST', '/evaluation-institutions', { token: admin(), body: evaluator({ creditCode: bad }) });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      messageZh: expect.any(String),
      details: [expect.objectContaining({ field: 'creditCode', problemZh: expect.stringContaining('校验码') })],
    });
    const backwards = await h.http('POST', '/evaluation-institutions', {
      token: admin(),
      body: evaluator({ validTo: `${YEAR - 2}-01-01T00:00:00+08:00` }),
    });
    expect(backwards.status).toBe(400);
    const dup = await h.http('POST', '/evaluation-institutions', {
      token: admin(),
      body: evaluator({ creditCode: e1.creditCode.toLowerCase() }),
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'EVALUATION_INSTITUTION_EXISTS', messageZh: expect.stringContaining('已登记') });

    const worker = h.token({ sub: 'catalogue-worker', roles: ['worker'], region: '140105' });
    expect((await h.http('GET', '/evaluation-institutions')).status).toBe(401);
    const first = await h.http('GET', '/evaluation-institutions?limit=1', { token: worker });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const all = (await h.http('GET', '/evaluation-institutions?limit=200&region=140100', { token: worker })).body.items.map(
      (e: any) => e.id,
    );
    expect(all).toEqual(expect.arrayContaining([e1.id, e3.id]));
    expect(all).not.toContain(e2.id);
  });

  it('are listed in the published catalogue with region, occupation and level filters, and as CSV', async () => {
    const mine = (ids: any[]) =>
      ids
        .filter((e: any) => [e1.id, e2.id, e3.id].includes(e.evaluationInstitutionId))
        .map((e: any) => e.evaluationInstitutionId)
        .sort();
    const whole = (await published(annual)).body;
    expect(mine(whole.evaluators)).toEqual([e1.id, e2.id].sort());
    expect(whole.evaluators.find((e: any) => e.evaluationInstitutionId === e1.id)).toEqual({
      evaluationInstitutionId: e1.id,
      name: e1.name,
      creditCode: e1.creditCode,
      regionCode: '140100',
      scope: [{ occupationCode: '4-10-01-06', levels: [5, 4, 3] }],
      validFrom: new Date(`${YEAR - 1}-01-01T00:00:00+08:00`).toISOString(),
      validTo: new Date(`${YEAR + 2}-01-01T00:00:00+08:00`).toISOString(),
    });
    // A worker in Xiaodian (140105) sees the Taiyuan city evaluator, not Datong's.
    expect(mine((await published(annual, '?region=140105&occupation=4-10-01-06&level=4')).body.evaluators)).toEqual([e1.id]);
    expect(mine((await published(annual, '?region=140200')).body.evaluators)).toEqual([e2.id]);
    expect(mine((await published(annual, '?occupation=4-10-01-05')).body.evaluators)).toEqual([e2.id]);
    expect(mine((await published(annual, '?occupation=4-10-01-06&level=1')).body.evaluators)).toEqual([]);

    const res = await fetch(`${h.baseUrl}/public/catalogues/${annual}?format=csv&table=evaluators&region=140100&occupation=4-10-01-06`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="catalogue-\d+-evaluators\.csv"; filename\*=UTF-8''/);
    const [header, ...rows] = parseCsv(await res.text()).records;
    expect(header).toEqual(EVALUATOR_CSV_HEADERS);
    expect(rows.find((r) => r[0] === e1.id)).toEqual([
      e1.id,
      e1.name,
      e1.creditCode,
      '140100',
      '4-10-01-06:5/4/3',
      `${YEAR - 1}-01-01`,
      `${YEAR + 1}-12-31`,
    ]); // the last valid day: validTo is exclusive (R2.3)
    expect(rows.some((r) => r[0] === e2.id)).toBe(false);
    expect((await published(annual, '?table=judges')).status).toBe(400);
  });
});

describe('amendments (目录调整)', () => {
  it('publishes an amendment within a minute of a revocation, with the reason, without the institution; a new qualification joins it', async () => {
    const d = await qualifiedInstitution(h, { regionCode: '140105', scope: [{ occupationCode: '4-10-01-02', levels: [5] }] });
    const reason = `列入黑名单 (R7.4) ${c.creditCode}`;
    await h.temporal.workflow
      .getHandle(institutionWorkflowId(c.creditCode))
      .signal(qualificationActionSignal, { action: 'REVOKE', reason, actorId: 'admin-1', actionId: 'catalogue-test:revoke' });

    const amendment = await eventually(
      async () =>
        (await h.http('GET', '/public/catalogues')).body.items.find((v: any) => v.kind === 'AMENDMENT' && v.reason?.includes(reason)),
      'the amendment',
      60_000,
    );
    expect(amendment).toMatchObject({ year: YEAR, reason: expect.stringContaining('REVOKED') });
    expect(amendment.number).toBeGreaterThan(annual);
    expect((await published(amendment.number, `?institution=${c.institutionId}`)).body).toMatchObject({ projects: [], institutions: [] });
    expect(
      (await published(amendment.number, `?institution=${d.institutionId}`)).body.institutions.map((i: any) => i.qualificationId),
    ).toEqual([d.qualificationId]);
    expect((await published(annual, `?institution=${c.institutionId}`)).body.institutions).toHaveLength(1); // the annual version is unchanged

    const diff = (await h.http('GET', `/public/catalogues/${amendment.number}/diff?against=${annual}`)).body;
    expect(diff).toMatchObject({ from: annual, to: amendment.number });
    expect(diff.institutions.removed.map((i: any) => i.qualificationId)).toContain(c.qualificationId);
    expect(diff.institutions.added.map((i: any) => i.qualificationId)).toContain(d.qualificationId);
    expect((await h.http('GET', `/public/catalogues/${amendment.number}/diff`)).status).toBe(400);
    expect((await h.http('GET', `/public/catalogues/${amendment.number}/diff?against=99999`)).status).toBe(404);

    const debouncer = amendmentWorkflowId(h.taskQueue);
    await eventually(
      async () => (await h.temporal.workflow.getHandle(debouncer).describe()).status.name === 'COMPLETED',
      'the debouncer completes',
    );
    await replayAndMaybeRecord(h, debouncer, 'catalogue-amendment-revoked');
  }, 90_000);
});

describe('claims use the catalogue (R4.2)', () => {
  it("takes a class's standard per person from the version in force on its start date, and pays a WORKER line that amount", async () => {
    const setup = await classWithRoster(h, {
      regionCode: '140105',
      category: 'WORKER',
      level: 4,
      startDate: `${YEAR}-01-04`,
      people: [{ attendancePercent: 100 }],
      institution: a,
    });
    const cls = (await h.http('GET', `/classes/${setup.classId}`, { token: a.token })).body;
    expect(cls.catalogueStandardFen).toBe(80_000); // 家政服务员 level 4 in the catalogue, below the 100,000 cap
    const today = await h.http('POST', '/classes', {
      token: a.token,
      body: {
        qualificationId: a.qualificationId,
        occupationCode: '4-10-01-06',
        level: 4,
        category: 'WORKER',
        startDate: shanghaiDate(new Date()),
        endDate: shanghaiDate(new Date()),
        hours: 60,
        trainingDays: 1,
        regionCode: '140105',
      },
    });
    expect(today.body.catalogueStandardFen).toBeNull(); // no catalogue in force yet today: the cap applies

    // Claims are for finished training (R6.1); this test cannot wait for next year, so the class is taken to
    // have run last week, keeping the standard it was given at creation.
    const lastWeek = addDays(shanghaiDate(new Date()), -7);
    await h.db.trainingClass.update({ where: { id: setup.classId }, data: { startDate: new Date(lastWeek), endDate: new Date(lastWeek) } });

    const claimId = (await h.http('POST', '/claims', { token: a.token, body: { classId: setup.classId, category: 'WORKER' } })).body.id;
    const claim = await eventually(async () => {
      const r = await h.http('GET', `/claims/${claimId}`, { token: reviewer() });
      return r.body.lines?.length > 0 && r.body;
    }, 'claim lines');
    expect(claim.lines).toEqual([expect.objectContaining({ amountFen: 80_000, status: 'PASSED' })]);
    // Closed here (rejected) so it neither waits in the shared inbox nor draws on the city's fund.
    const task = await eventually(
      async () =>
        (await h.http('GET', '/tasks?kind=CLAIM_REVIEW&limit=200', { token: reviewer() })).body.items.find(
          (t: any) => t.caseId === claimId,
        ),
      'claim review',
    );
    expect(
      (
        await h.http('POST', `/tasks/${task.id}/decision`, {
          token: reviewer(),
          body: { lines: [{ lineId: claim.lines[0].id, approve: false, reason: '测试：不予补贴' }] },
        })
      ).status,
    ).toBe(200);
  });
});

describe('the annual Schedule (R3.1)', () => {
  it('is ensured at worker start: created once, brought up to date after', async () => {
    const first = await ensureCatalogueSchedule(h.temporal, h.taskQueue, { month: 12, day: 1 });
    expect(await ensureCatalogueSchedule(h.temporal, h.taskQueue, { month: 11, day: 15 })).toBe('updated');
    expect(['created', 'updated']).toContain(first);
    const handle = h.temporal.schedule.getHandle(CATALOGUE_SCHEDULE_ID);
    try {
      const desc = await handle.describe();
      expect(desc.spec.timezone).toBe('Asia/Shanghai');
      expect(desc.spec.calendars?.[0]).toMatchObject({
        month: [expect.objectContaining({ start: 'NOVEMBER' })],
        dayOfMonth: [expect.objectContaining({ start: 15 })],
        hour: [expect.objectContaining({ start: 0 })],
      });
      expect(desc.action).toMatchObject({ type: 'startWorkflow', workflowType: 'catalogueWorkflow', taskQueue: h.taskQueue });
    } finally {
      await handle.delete();
    }
  });
});
