// R5.1's limits from later national fund rules — a lifetime cap and the exclusion of staff on a public
// establishment (机关事业单位在编人员) — are policy parameters, off by default, switched on per region.
import { classWithRoster } from '../fixtures/claims';
import { addPolicyVersion, eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
const ON = '140800'; // Yuncheng switches both limits on
const OFF = '140300'; // Yangquan keeps the defaults
const reviewer = (region: string) => h.token({ sub: `limits-reviewer-${region}`, roles: ['reviewer'], region });

beforeAll(async () => {
  h = await startHarness();
  await addPolicyVersion(h, ON, { eligibility: { maxTrainingsLifetime: 4, excludePublicEstablishmentStaff: true } });
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

/** A class of three: an ordinary person, one on a public establishment, one with four past trainings. */
async function claimFor(region: string) {
  const setup = await classWithRoster(h, {
    regionCode: region,
    category: 'WORKER',
    people: [{ attendancePercent: 100 }, { attendancePercent: 100 }, { attendancePercent: 100 }],
  });
  const [, staff, veteran] = setup.people;
  const bureau = h.token({ sub: `bureau-${region}`, roles: ['reviewer'], region });
  const registered = await h.http('POST', '/trainees', {
    token: bureau,
    body: { residentId: staff.residentId, name: staff.name, regionCode: region, publicEstablishmentStaff: true },
  });
  expect(registered.status).toBe(200);
  expect(registered.body.publicEstablishmentStaff).toBe(true);
  await h.db.subsidyGrant.createMany({
    data: [2019, 2020, 2021, 2022].map((year, i) => ({
      traineeId: veteran.traineeId,
      kind: 'TRAINING' as const,
      category: 'WORKER' as const,
      year,
      occupationCode: ['4-10-01-01', '4-10-01-02', '4-10-01-03', '4-10-01-04'][i],
      level: 5,
      amountFen: 50_000,
    })),
  });
  const claim = await h.http('POST', '/claims', { token: setup.token, body: { classId: setup.classId, category: 'WORKER' } });
  expect(claim.status).toBe(201);
  const lines = await eventually(async () => {
    const c = await h.http('GET', `/claims/${claim.body.id}`, { token: reviewer(region) });
    return c.body.lines?.length === 3 && c.body.lines;
  }, 'claim lines');
  const rulesOf = (i: number) => lines.find((l: any) => l.traineeId === setup.people[i].traineeId).failures.map((f: any) => f.problem);
  return { ordinary: rulesOf(0), staff: rulesOf(1), veteran: rulesOf(2) };
}

describe('R5.1 limits of later fund rules', () => {
  it('switched on: refuses staff on a public establishment and a fifth training in a lifetime', async () => {
    const r = await claimFor(ON);
    expect(r.ordinary).toEqual([]);
    expect(r.staff).toEqual([expect.stringContaining('public establishment')]);
    expect(r.veteran).toEqual([expect.stringContaining('at most 4 in a lifetime')]);
  });

  it('off by default: the same people pass', async () => {
    const r = await claimFor(OFF);
    expect(r).toEqual({ ordinary: [], staff: [], veteran: [] });
  });

  it('only bureau staff record who is on a public establishment', async () => {
    const setup = await classWithRoster(h, { regionCode: OFF, category: 'WORKER', people: [{ attendancePercent: 100 }] });
    const [p] = setup.people;
    const res = await h.http('POST', '/trainees', {
      token: setup.token,
      body: { residentId: p.residentId, name: p.name, regionCode: OFF, publicEstablishmentStaff: false },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.messageZh).toMatch(/人社部门/);
    expect((await h.db.trainee.findUniqueOrThrow({ where: { id: p.traineeId } })).publicEstablishmentStaff).toBe(false);
  });
});
