// Platform behaviour every part relies on: health, OpenAPI, auth, the error shape, validation (API.md).
import { application, newInstitutionId } from '../fixtures/filing';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const institution = () => h.token({ sub: 'inst-p', roles: ['institution'], region: '140105', institution: newInstitutionId() });

function expectErrorShape(body: any, code: string) {
  expect(body.error).toMatchObject({
    code,
    message: expect.any(String),
    messageZh: expect.stringMatching(/[\u4e00-\u9fff]/),
    details: expect.any(Array),
  });
}

describe('platform', () => {
  it('reports PostgreSQL and Temporal reachability without a token', async () => {
    const res = await h.http('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', postgres: 'up', temporal: 'up' });
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const doc = await h.http('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/filings',
        '/filings/{id}/resubmissions',
        '/tasks',
        '/tasks/{id}/decision',
        '/qualifications/{id}',
        '/policy',
        '/health',
      ]),
    );
    const page = await h.http('GET', '/docs');
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('swagger');
  });

  it.each([
    ['no token', undefined],
    ['a malformed token', 'not-a-token'],
    [
      'a token signed with another secret',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZXMiOlsiYWRtaW4iXSwicmVnaW9uIjoiMTQwMDAwIn0.c2lnbmF0dXJl',
    ],
  ])('answers 401 for %s', async (_, token) => {
    const res = await h.http('GET', '/tasks', { token });
    expect(res.status).toBe(401);
    expectErrorShape(res.body, 'UNAUTHENTICATED');
  });

  it('answers 404 in the error shape for unknown routes and ids', async () => {
    const token = h.token({ sub: 'r', roles: ['reviewer'], region: '140100' });
    expectErrorShape((await h.http('GET', '/nowhere', { token })).body, 'NOT_FOUND');
    const unknown = await h.http('GET', '/filings/00000000-0000-4000-8000-000000000000', { token });
    expect(unknown.status).toBe(404);
    expect((await h.http('GET', '/filings/not-a-uuid', { token })).status).toBe(404);
    expect((await h.http('GET', '/tasks/00000000-0000-4000-8000-000000000000', { token })).status).toBe(404);
  });

  describe('malformed filing bodies get a 400 naming the field, and change nothing', () => {
    const app = application();
    const bad = (override: Record<string, unknown>) => ({ ...app, ...override });
    it.each([
      [
        'a wrong GB 32100 check character',
        bad({ creditCode: app.creditCode.slice(0, 17) + (app.creditCode[17] === '0' ? '1' : '0') }),
        'creditCode',
      ],
      ['a forbidden letter in the credit code', bad({ creditCode: 'I' + app.creditCode.slice(1) }), 'creditCode'],
      ['an institution type that must go through procurement (R2.2)', bad({ institutionType: 'TRAINING_INSTITUTION' }), 'institutionType'],
      ['a region outside Shanxi', bad({ regionCode: '110105' }), 'regionCode'],
      ['an empty scope', bad({ scope: [] }), 'scope'],
      ['a skill level 6', bad({ scope: [{ occupationCode: '4-10-01-06', levels: [6] }] }), 'scope.0.levels.0'],
      ['a negative capacity', bad({ capacity: -1 }), 'capacity'],
      ['an unknown field', bad({ bankAccount: '6222' }), 'body'],
      ['a missing contact', (({ contact: _c, ...rest }) => rest)(app), 'contact'],
    ])('%s', async (_, body, field) => {
      const res = await h.http('POST', '/filings', { token: institution(), body });
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 'VALIDATION_FAILED');
      expect(res.body.error.details.map((d: any) => d.field)).toContain(field);
      expect(await h.db.filing.count({ where: { creditCode: app.creditCode } })).toBe(0);
    });

    it('invalid JSON', async () => {
      const res = await h.http('POST', '/filings', { token: institution(), raw: '{"institutionName": ' });
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 'BAD_REQUEST');
    });

    it('a JSON array instead of an object', async () => {
      const res = await h.http('POST', '/filings', { token: institution(), raw: '[1,2]' });
      expect(res.status).toBe(400);
    });
  });

  it('refuses a decision body of the wrong shape before it reaches the workflow', async () => {
    const token = h.token({ sub: 'r', roles: ['reviewer'], region: '140100' });
    const res = await h.http('POST', '/tasks/00000000-0000-4000-8000-000000000000/decision', { token, body: { outcome: 'MAYBE' } });
    expect(res.status).toBe(404);
  });

  it('lets only an admin add policy versions, and validates them', async () => {
    const reviewer = h.token({ sub: 'r', roles: ['reviewer'], region: '140100' });
    const admin = h.token({ sub: 'a', roles: ['admin'], region: '140000' });
    const body = {
      regionCode: '140800',
      effectiveFrom: '2027-01-01T00:00:00+08:00',
      note: 'Yuncheng 2027',
      parameters: { subsidy: { enterpriseEmployeeFen: 35_000 } },
    };
    expect((await h.http('POST', '/policy/versions', { token: reviewer, body })).status).toBe(403);
    const fractional = await h.http('POST', '/policy/versions', {
      token: admin,
      body: { ...body, parameters: { subsidy: { enterpriseEmployeeFen: 300.5 } } },
    });
    expect(fractional.status).toBe(400);
    const created = await h.http('POST', '/policy/versions', { token: admin, body });
    expect(created.status).toBe(201);
    const before = await h.http('GET', '/policy?region=140800&at=2026-12-31T12:00:00%2B08:00', { token: reviewer });
    const after = await h.http('GET', '/policy?region=140800&at=2027-01-02T12:00:00%2B08:00', { token: reviewer });
    expect(before.body.parameters.subsidy.enterpriseEmployeeFen).toBe(30_000);
    expect(after.body.parameters.subsidy.enterpriseEmployeeFen).toBe(35_000);
    expect(after.body.versionIds).toContain(created.body.id);
  });
});
