// The authorisation matrix (issue 8.2, API.md "wrong role/region/owner 403"): every route of the OpenAPI
// document, called with no token, a token of each role, a token of another region and one of another
// institution, gets the status class docs/authorization.md gives it. A route missing from the table fails
// the test, so a new route makes its author decide who may call it.
//
// Requests are harmless: ids are of rows this file writes straight into the database (a class, claim,
// filing and task of institution A in 140105) with no workflow behind them, or unknown; bodies are empty
// (400) or refused for the rows' state (409/422). None starts a workflow.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ROLES } from '../../workflows/contracts/common';
import { application, creditCode } from '../fixtures/filing';
import { institutionRows } from '../fixtures/institution-rows';
import { peopleBase, personName, residentId } from '../fixtures/people';
import { startHarness, type Harness } from '../support/harness';

const TABLE = path.join(__dirname, '..', '..', 'docs', 'authorization.md');
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const HOME = '140100'; // staff of Taiyuan; the rows are in Xiaodian (140105), below it
const OTHER_REGION = '140200'; // Datong
const STAFF_ROLES = ROLES.filter((r) => r !== 'institution' && r !== 'worker');

type Expect = 'ok' | '401' | '403';
interface Row {
  route: string;
  expected: Record<string, Expect>;
}

/** The markdown table: | `METHOD /path` | none | reviewer | … | other region | other institution | */
export function parseMatrix(md: string): { columns: string[]; rows: Row[] } {
  const lines = md.split('\n').filter((l) => l.startsWith('|'));
  const header = lines.find((l) => /\|\s*route\s*\|/.test(l));
  if (!header) throw new Error('docs/authorization.md: no table with a "route" column');
  const cells = (l: string) =>
    l
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  const columns = cells(header).slice(1);
  const rows = lines
    .filter((l) => /^\|\s*`/.test(l))
    .map((l) => {
      const [route, ...values] = cells(l);
      if (values.length !== columns.length)
        throw new Error(`docs/authorization.md: ${route} has ${values.length} cells, the header ${columns.length}`);
      for (const v of values)
        if (!['ok', '401', '403'].includes(v)) throw new Error(`docs/authorization.md: ${route}: "${v}" is not ok, 401 or 403`);
      return { route: route.replace(/`/g, ''), expected: Object.fromEntries(columns.map((c, i) => [c, values[i] as Expect])) };
    });
  return { columns, rows };
}

let h: Harness;
let ids: { class: string; claim: string; filing: string; task: string; trainee: string; qualification: string; institution: string };
let tokens: Record<string, string | undefined>;

beforeAll(async () => {
  h = await startHarness();
  const { institutionId, qualificationId } = await institutionRows(h.db, '140105');
  const future = new Date(Date.now() + 30 * 86_400_000); // not finished: a claim on it is refused (422)
  const cls = await h.db.trainingClass.create({
    data: {
      institutionId,
      qualificationId,
      occupationCode: '4-10-01-06',
      level: 5,
      category: 'WORKER',
      startDate: new Date(),
      endDate: future,
      hours: 40,
      trainingDays: 5,
      regionCode: '140105',
      createdBy: 'matrix',
    },
  });
  const seq = peopleBase();
  const trainee = await h.db.trainee.create({
    data: { residentId: residentId(seq), name: personName(seq), birthDate: new Date('1980-01-01'), regionCode: '140105' },
  });
  await h.db.enrolment.create({ data: { classId: cls.id, traineeId: trainee.id } });
  const claimId = randomUUID();
  await h.db.claim.create({
    data: {
      id: claimId,
      workflowId: `matrix-claim-${claimId}`,
      classId: cls.id,
      institutionId,
      regionCode: '140105',
      category: 'WORKER',
      submittedBy: 'matrix',
    },
  });
  const code = creditCode('140105');
  const filing = await h.db.filing.create({
    data: {
      institutionId,
      creditCode: code,
      sequence: 1,
      workflowId: `matrix-filing-${code}`,
      regionCode: '140105',
      submittedBy: 'matrix',
    },
  });
  const task = await h.db.humanTask.create({
    data: {
      dedupeKey: `matrix-task-${filing.id}`,
      kind: 'FILING_REVIEW',
      caseType: 'FILING',
      caseId: filing.id,
      workflowId: filing.workflowId,
      role: 'reviewer',
      regionCode: '140105',
      title: 'matrix',
    },
  });
  ids = {
    class: cls.id,
    claim: claimId,
    filing: filing.id,
    task: task.id,
    trainee: trainee.id,
    qualification: qualificationId,
    institution: institutionId,
  };
  tokens = {
    none: undefined,
    ...Object.fromEntries(
      ROLES.map((role) => [
        role,
        role === 'institution'
          ? h.token({ sub: 'matrix-inst-a', roles: ['institution'], region: '140105', institution: institutionId })
          : role === 'worker'
            ? h.token({ sub: trainee.id, roles: ['worker'], region: '140105' }) // the person on the roster
            : h.token({ sub: `matrix-${role}`, roles: [role], region: HOME }),
      ]),
    ),
    'other region': h.token({ sub: 'matrix-datong', roles: [...STAFF_ROLES], region: OTHER_REGION }),
    'other institution': h.token({ sub: 'matrix-inst-b', roles: ['institution'], region: '140105', institution: randomUUID() }),
  };
});
afterAll(async () => {
  await h?.stop();
});

/** A concrete path for an OpenAPI path: the rows above, or an unknown id. */
function concrete(route: string): string {
  const byPath: Record<string, string> = {
    '/claims/{id}': ids.claim,
    '/classes/{id}': ids.class,
    '/classes/{id}/commission': ids.class,
    '/classes/{id}/roster': ids.class,
    '/filings/{id}': ids.filing,
    '/filings/{id}/resubmissions': ids.filing,
    '/tasks/{id}': ids.task,
    '/tasks/{id}/decision': ids.task,
    '/trainees/{id}/archive': ids.trainee,
    '/qualifications/{id}': ids.qualification,
    '/public/postings/{claimId}': ids.claim,
    '/public/claims/{claimId}/objections': ids.claim,
  };
  return route.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'year') return '2027';
    if (name === 'version') return '1';
    return byPath[route] ?? UNKNOWN;
  });
}

/** A body that cannot change anything: refused by validation, or by the state of the rows (see the header). */
function body(method: string, route: string): unknown {
  if (method === 'GET') return undefined;
  if (route === '/claims') return { classId: ids.class, category: 'WORKER' }; // owner: 422 not finished; others: 403
  if (route === '/filings/{id}/resubmissions') return application(); // owner: 422/409 (not returned); others: 403
  return {};
}

describe('authorization matrix (docs/authorization.md)', () => {
  it('covers every route of the OpenAPI document, and only those', async () => {
    const doc = await h.http('GET', '/openapi.json');
    const routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const { columns, rows } = parseMatrix(fs.readFileSync(TABLE, 'utf8'));
    expect(columns).toEqual(Object.keys(tokens));
    const listed = rows.map((r) => r.route);
    expect({ missingFromTable: routes.filter((r) => !listed.includes(r)).sort() }).toEqual({ missingFromTable: [] });
    expect({ notARoute: listed.filter((r) => !routes.includes(r)) }).toEqual({ notARoute: [] });
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('answers every route, for every caller, with the status class of the table', async () => {
    const { rows } = parseMatrix(fs.readFileSync(TABLE, 'utf8'));
    const mismatches: string[] = [];
    for (const row of rows) {
      const [method, route] = row.route.split(' ');
      for (const [caller, expected] of Object.entries(row.expected)) {
        const res = await h.http(method, concrete(route), { token: tokens[caller], body: body(method, route) });
        const got: Expect | string =
          res.status === 401 ? '401' : res.status === 403 ? '403' : res.status >= 500 ? String(res.status) : 'ok';
        if (got !== expected)
          mismatches.push(
            `${row.route} as ${caller}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body?.error?.code ?? '')}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('lists qualifications to staff of their region only, as claims (the GET /qualifications fix)', async () => {
    const listed = async (token: string | undefined, query = '') => {
      const res = await h.http('GET', `/qualifications?limit=200${query}`, { token });
      expect(res.status).toBe(200);
      return res.body.items as { id: string; regionCode: string }[];
    };
    const taiyuan = await listed(tokens.reviewer, '&region=140105');
    expect(taiyuan.map((q) => q.id)).toContain(ids.qualification);
    const datong = await listed(tokens['other region']);
    expect(datong.map((q) => q.id)).not.toContain(ids.qualification);
    expect(datong.every((q) => q.regionCode.startsWith('1402'))).toBe(true);
    const outside = await h.http('GET', '/qualifications?region=140105', { token: tokens['other region'] });
    expect([outside.status, outside.body.error?.code]).toEqual([403, 'FORBIDDEN_REGION']);
    expect((await listed(tokens['other institution'])).map((q) => q.id)).not.toContain(ids.qualification);
    expect((await listed(tokens.institution)).map((q) => q.id)).toEqual([ids.qualification]);
  });

  it('changed nothing: no workflow was started and the rows are as written', async () => {
    expect(await h.db.claim.count({ where: { classId: ids.class } })).toBe(1);
    expect(await h.db.filing.count({ where: { institutionId: ids.institution } })).toBe(1);
    expect((await h.db.humanTask.findUniqueOrThrow({ where: { id: ids.task } })).status).toBe('OPEN');
    expect((await h.db.trainingClass.findUniqueOrThrow({ where: { id: ids.class } })).commissionRef).toBeNull();
  });
});
