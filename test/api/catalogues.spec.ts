// The catalogues end to end (R3.1, R2.3, R4.2): compile on demand, approve through /tasks, public versions with
// filters, CSV and diffs, an amendment after a revocation, a class's standard taken from the catalogue, the
// annual Schedule. The catalogue compiled here is next year's (in force from 1 January), so classes that other
// test files open today keep the R4.2 cap; assertions filter by this file's own institutions.
import { ensureCatalogueSchedule } from '../../apps/worker/src/schedule';
import { INSTITUTION_CSV_HEADERS, PROJECT_CSV_HEADERS } from '../../apps/api/src/catalogues/catalogue.dto';
import { amendmentWorkflowId, annualCatalogueWorkflowId, CATALOGUE_SCHEDULE_ID } from '../../workflows/contracts/catalogue';
import { institutionWorkflowId, qualificationActionSignal } from '../../workflows/contracts/institution';
import { shanghaiDate } from '../../workflows/domain/calendar';
import { parseCsv } from '../../workflows/domain/roster';
import { classWithRoster } from '../fixtures/claims';
import { qualifiedInstitution, type QualifiedInstitution } from '../fixtures/qualified-institution';
import { eventually, replayAndMaybeRecord, startHarness, type Harness } from '../support/harness';

let h: Harness;
const YEAR = Number(shanghaiDate(new Date()).slice(0, 4)) + 1;
let a: QualifiedInstitution; // Xiaodian 140105, 家政服务员 5–3 and 养老护理员 5–4
let b: QualifiedInstitution; // Taiyuan 140100
let c: QualifiedInstitution; // Xiaodian, 保育师 level 5 only: revoked below
let annual: number; // the number the annual version is published as

const admin = () => h.token({ sub: 'catalogue-admin', roles: ['admin'], region: '140000' });
const reviewer = () => h.token({ sub: 'catalogue-reviewer', roles: ['reviewer'], region: '140000' });
const published = (n: number, query = '') => h.http('GET', `/public/catalogues/${n}${query}`);

beforeAll(async () => {
  h = await startHarness();
  [a, b, c] = await Promise.all([
    qualifiedInstitution(h, { regionCode: '140105' }),
    qualifiedInstitution(h, { regionCode: '140100' }),
    qualifiedInstitution(h, { regionCode: '140105', scope: [{ occupationCode: '4-10-01-03', levels: [5] }] }),
  ]);
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

describe('annual catalogue (R3.1)', () => {
  it('is compiled on demand, reviewed with its diff, and published as the next numbered version', async () => {
    expect((await h.http('POST', '/catalogues/compilations', { token: reviewer(), body: { year: YEAR, kind: 'ANNUAL' } })).status).toBe(403);
    expect((await h.http('POST', '/catalogues/compilations', { token: admin(), body: { year: YEAR, kind: 'AMENDMENT' } })).status).toBe(400);
    const started = await h.http('POST', '/catalogues/compilations', { token: admin(), body: { year: YEAR, kind: 'ANNUAL' } });
    expect(started.status).toBe(202);
    const again = await h.http('POST', '/catalogues/compilations', { token: admin(), body: { year: YEAR, kind: 'ANNUAL' } });
    expect(again.status).toBe(409);

    const task = await eventually(async () => (await h.http('GET', '/tasks?kind=CATALOGUE_REVIEW&limit=200', { token: reviewer() })).body.items.find((t: any) => t.caseType === 'CATALOGUE'), 'the review task');
    expect(task.title).toContain(`${YEAR}年度`);
    const draft = (await h.http('GET', `/catalogues/drafts/${task.caseId}`, { token: reviewer() })).body;
    expect(draft).toMatchObject({ status: 'DRAFT', number: null, year: YEAR, kind: 'ANNUAL' });
    const listed = draft.institutions.map((i: any) => i.qualificationId);
    expect(listed).toEqual(expect.arrayContaining([a.qualificationId, b.qualificationId, c.qualificationId]));
    expect(draft.diff.institutions.added.map((i: any) => i.qualificationId)).toEqual(expect.arrayContaining([a.qualificationId]));

    const noReason = await h.http('POST', `/tasks/${task.id}/decision`, { token: reviewer(), body: { outcome: 'REJECT' } });
    expect(noReason.status).toBe(422);
    const approved = await h.http('POST', `/tasks/${task.id}/decision`, { token: reviewer(), body: { outcome: 'APPROVE', reason: '经审核，同意发布' } });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'PUBLISHED', number: expect.any(Number), effectiveFrom: new Date(`${YEAR}-01-01T00:00:00+08:00`).toISOString() });
    annual = approved.body.number;
    expect((await h.http('POST', `/tasks/${task.id}/decision`, { token: reviewer(), body: { outcome: 'APPROVE' } })).status).toBe(409);

    const versions = (await h.http('GET', '/public/catalogues')).body.items;
    expect(versions).toEqual(expect.arrayContaining([expect.objectContaining({ number: annual, kind: 'ANNUAL', year: YEAR, reason: null })]));
    expect(JSON.stringify(versions)).not.toContain('catalogue-reviewer'); // no personal data
    // Published rows are immutable (trigger).
    await expect(h.db.catalogueProject.updateMany({ where: { versionId: task.caseId }, data: { standardFen: 1 } })).rejects.toThrow(/immutable/);

    const workflowId = annualCatalogueWorkflowId(YEAR);
    await eventually(async () => (await h.temporal.workflow.getHandle(workflowId).describe()).status.name === 'COMPLETED', 'completion');
    await replayAndMaybeRecord(h, workflowId, 'catalogue-annual-approved');
  });

  it('serves a version with filters by institution, region, occupation and level (R4.2 standards)', async () => {
    const mine = (await published(annual, `?institution=${a.institutionId}`)).body;
    expect(mine.institutions.map((i: any) => i.qualificationId)).toEqual([a.qualificationId]);
    expect(mine.projects.map((p: any) => `${p.occupationCode}/${p.level}`).sort()).toEqual(['4-10-01-05/4', '4-10-01-05/5', '4-10-01-06/3', '4-10-01-06/4', '4-10-01-06/5']);
    expect(mine.projects.find((p: any) => p.occupationCode === '4-10-01-06' && p.level === 5)).toMatchObject({ occupationNameZh: '家政服务员', regionCode: '140000', standardFen: 60_000, hours: 40, institutions: [{ id: a.institutionId, name: expect.any(String) }] });
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
    const back = rows.map((r) => ({ occupationCode: r[0], occupationNameZh: r[1], level: Number(r[2]), regionCode: r[3], standardFen: Math.round(Number(r[4]) * 100), hours: Number(r[5]), institutions: r[6] }));
    expect(back).toEqual(json.projects.map((p: any) => ({ ...p, institutions: p.institutions.map((i: any) => i.name).join('；') })));

    const inst = await fetch(`${h.baseUrl}/public/catalogues/${annual}?format=csv&table=institutions&institution=${c.institutionId}`);
    const [instHeader, row] = parseCsv(await inst.text()).records;
    expect(instHeader).toEqual(INSTITUTION_CSV_HEADERS);
    expect(row.slice(0, 5)).toEqual([c.institutionId, expect.stringMatching(/[\u4e00-\u9fff]/), '企业', '140105', '审核备案']);
  });
});

describe('amendments (目录调整)', () => {
  it('publishes an amendment within a minute of a revocation, with the reason, without the institution; a new qualification joins it', async () => {
    const d = await qualifiedInstitution(h, { regionCode: '140105', scope: [{ occupationCode: '4-10-01-02', levels: [5] }] });
    const reason = `列入黑名单 (R7.4) ${c.creditCode}`;
    await h.temporal.workflow.getHandle(institutionWorkflowId(c.creditCode)).signal(qualificationActionSignal, { action: 'REVOKE', reason, actorId: 'admin-1', actionId: 'catalogue-test:revoke' });

    const amendment = await eventually(async () => (await h.http('GET', '/public/catalogues')).body.items.find((v: any) => v.kind === 'AMENDMENT' && v.reason?.includes(reason)), 'the amendment', 60_000);
    expect(amendment).toMatchObject({ year: YEAR, reason: expect.stringContaining('REVOKED') });
    expect(amendment.number).toBeGreaterThan(annual);
    expect((await published(amendment.number, `?institution=${c.institutionId}`)).body).toMatchObject({ projects: [], institutions: [] });
    expect((await published(amendment.number, `?institution=${d.institutionId}`)).body.institutions.map((i: any) => i.qualificationId)).toEqual([d.qualificationId]);
    expect((await published(annual, `?institution=${c.institutionId}`)).body.institutions).toHaveLength(1); // the annual version is unchanged

    const diff = (await h.http('GET', `/public/catalogues/${amendment.number}/diff?against=${annual}`)).body;
    expect(diff).toMatchObject({ from: annual, to: amendment.number });
    expect(diff.institutions.removed.map((i: any) => i.qualificationId)).toContain(c.qualificationId);
    expect(diff.institutions.added.map((i: any) => i.qualificationId)).toContain(d.qualificationId);
    expect((await h.http('GET', `/public/catalogues/${amendment.number}/diff`)).status).toBe(400);
    expect((await h.http('GET', `/public/catalogues/${amendment.number}/diff?against=99999`)).status).toBe(404);

    const debouncer = amendmentWorkflowId(h.taskQueue);
    await eventually(async () => (await h.temporal.workflow.getHandle(debouncer).describe()).status.name === 'COMPLETED', 'the debouncer completes');
    await replayAndMaybeRecord(h, debouncer, 'catalogue-amendment-revoked');
  }, 90_000);
});

describe('claims use the catalogue (R4.2)', () => {
  it("takes a class's standard per person from the version in force on its start date, and pays a WORKER line that amount", async () => {
    const setup = await classWithRoster(h, { regionCode: '140105', category: 'WORKER', level: 4, startDate: `${YEAR}-01-04`, people: [{ attendancePercent: 100 }], institution: a });
    const cls = (await h.http('GET', `/classes/${setup.classId}`, { token: a.token })).body;
    expect(cls.catalogueStandardFen).toBe(80_000); // 家政服务员 level 4 in the catalogue, below the 100,000 cap
    const today = await h.http('POST', '/classes', { token: a.token, body: { qualificationId: a.qualificationId, occupationCode: '4-10-01-06', level: 4, category: 'WORKER', startDate: shanghaiDate(new Date()), endDate: shanghaiDate(new Date()), hours: 60, trainingDays: 5, regionCode: '140105' } });
    expect(today.body.catalogueStandardFen).toBeNull(); // no catalogue in force yet today: the cap applies

    const claimId = (await h.http('POST', '/claims', { token: a.token, body: { classId: setup.classId, category: 'WORKER' } })).body.id;
    const claim = await eventually(async () => {
      const r = await h.http('GET', `/claims/${claimId}`, { token: reviewer() });
      return r.body.lines?.length > 0 && r.body;
    }, 'claim lines');
    expect(claim.lines).toEqual([expect.objectContaining({ amountFen: 80_000, status: 'PASSED' })]);
    // Closed here (rejected) so it neither waits in the shared inbox nor draws on the city's fund.
    const task = await eventually(async () => (await h.http('GET', '/tasks?kind=CLAIM_REVIEW&limit=200', { token: reviewer() })).body.items.find((t: any) => t.caseId === claimId), 'claim review');
    expect((await h.http('POST', `/tasks/${task.id}/decision`, { token: reviewer(), body: { lines: [{ lineId: claim.lines[0].id, approve: false, reason: '测试：不予补贴' }] } })).status).toBe(200);
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
      expect(desc.spec.calendars?.[0]).toMatchObject({ month: [expect.objectContaining({ start: 'NOVEMBER' })], dayOfMonth: [expect.objectContaining({ start: 15 })], hour: [expect.objectContaining({ start: 0 })] });
      expect(desc.action).toMatchObject({ type: 'startWorkflow', workflowType: 'catalogueWorkflow', taskQueue: h.taskQueue });
    } finally {
      await handle.delete();
    }
  });
});
