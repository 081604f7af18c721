// Workflow tests without the whole stack (issue 8.4): the real bundled workflows on a worker of their own,
// against the Temporal server `npm test` already runs (TEMPORAL_ADDRESS), on a task queue unique to the
// file, with stub activities that record every call and answer from plain objects — as the samples'
// `workflows-mocks` tests do, minus time skipping.
//
// Time skipping needs Temporal's Java test server, which these machines cannot run from the SDK
// (TOOLCHAIN.md): deadlines are made short instead, with SECONDS policy periods handed to the workflow by
// the stubbed resolvePolicyFor (`shortPolicy`).
import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { WORKFLOWS_PATH } from '../../apps/worker/src/worker';
import type { PolicyPeriod } from '../../workflows/domain/calendar';
import { DEFAULT_POLICY, type PolicyParameters } from '../../workflows/domain/policy';

type Impl<K extends keyof Activities> = (
  input: Parameters<Activities[K]>[0],
) => Awaited<ReturnType<Activities[K]>> | ReturnType<Activities[K]>;
export type Stubs = { [K in keyof Activities]?: Impl<K> };

export interface Call {
  name: keyof Activities;
  workflowId: string;
  input: any;
}

/** Every activity the workflows use: a stub not given answers undefined (recorded all the same). */
const NAMES: (keyof Activities)[] = [
  'resolvePolicyFor',
  'loadWorkCalendar',
  'rescheduleTask',
  'rescheduleDeadline',
  'recordFilingOpened',
  'checkFilingCompleteness',
  'openFilingReview',
  'recordFilingDecision',
  'returnIncompleteFiling',
  'saveFilingResubmission',
  'withdrawFiling',
  'grantFilingQualification',
  'trackQualification',
  'setQualificationStatus',
  'remindQualificationExpiry',
  'recordClaimOpened',
  'checkClaim',
  'autoApproveLines',
  'decideClaimLines',
  'openClaimTask',
  'openObjectionTask',
  'answerLateObjection',
  'payableFen',
  'setClaimStatus',
  'resolveObjection',
  'postAuditCandidates',
  'drawPostAudit',
  'assignInspectionTeam',
  'recordPostAuditDraw',
  'recordInspection',
  'payClaim',
  'compileCatalogueDraft',
  'openCatalogueReview',
  'publishCatalogue',
  'rejectCatalogue',
  'publishAmendment',
  // competitive selection (R9)
  'recordProcurementOpened',
  'recordProcurementPublished',
  'recordClarification',
  'acceptBid',
  'withdrawBid',
  'confirmBid',
  'openBids',
  'drawCommittee',
  'recordScores',
  'releaseSeat',
  'reopenScoring',
  'rankLots',
  'openProcurementTask',
  'recordAward',
  'withdrawAward',
  'recordContract',
  'failLotWithoutWinner',
  'recordFailureDecision',
  'recordFailureApproval',
  'startFollowUpProcess',
  'recordChallenge',
  'recordChallengeAnswer',
  'recordComplaint',
  'recordComplaintDecision',
  'recordInquiry',
  'recordInquiryAnswer',
  'recordQuotationRound',
  'recordQuotation',
  'closeProcurement',
];

const SHORT: PolicyPeriod = { unit: 'SECONDS', amount: 3 };
const seconds = (amount: number): PolicyPeriod => ({ unit: 'SECONDS', amount });

/**
 * The default policy with every period in seconds, so a test reaches deadlines, escalation and expiry in
 * a few seconds of real time. `over` sets single periods (e.g. a long review period where none should lapse).
 */
export function shortPolicy(
  over: {
    reviewSeconds?: number;
    escalatedSeconds?: number;
    amendmentSeconds?: number;
    postingSeconds?: number;
    recheckSeconds?: number;
    amendmentDelaySeconds?: number;
  } = {},
): PolicyParameters {
  const p = DEFAULT_POLICY;
  return {
    ...p,
    filing: {
      reviewPeriod: over.reviewSeconds ? seconds(over.reviewSeconds) : SHORT,
      escalatedReviewPeriod: over.escalatedSeconds ? seconds(over.escalatedSeconds) : SHORT,
      amendmentPeriod: over.amendmentSeconds ? seconds(over.amendmentSeconds) : SHORT,
    },
    claim: {
      ...p.claim,
      reviewPeriod: over.reviewSeconds ? seconds(over.reviewSeconds) : SHORT,
      postingPeriod: over.postingSeconds ? seconds(over.postingSeconds) : SHORT,
      fundsRecheckInterval: over.recheckSeconds ? seconds(over.recheckSeconds) : seconds(60),
    },
    postAudit: { ...p.postAudit, inspectionPeriod: seconds(600) },
    catalogue: { ...p.catalogue, amendmentDelaySeconds: over.amendmentDelaySeconds ?? 1 },
  };
}

/** Answers every workflow needs: its policy (short periods) and a calendar with no covered year. */
export const commonStubs = (policy: PolicyParameters = shortPolicy()): Stubs => ({
  resolvePolicyFor: () => ({ parameters: policy, versionIds: ['policy-test'] }),
  loadWorkCalendar: () => ({ coveredYears: [], holidays: [], workdays: [] }),
});

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

export interface StubWorld {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  calls: Call[];
  /** the calls of one workflow, by activity name */
  callsOf(workflowId: string, name?: keyof Activities): Call[];
  /** Stubs for one workflow id, over the file's defaults. */
  stub(workflowId: string, stubs: Stubs): void;
  stop(): Promise<void>;
}

/** One worker per test file on its own task queue; stubs per workflow id, so tests in the file run apart. */
export async function startStubWorld(defaults: Stubs): Promise<StubWorld> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run through `npm test -- <file>`.');
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address });
  const taskQueue = `wf-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const calls: Call[] = [];
  const perWorkflow = new Map<string, Stubs>();
  const activities = Object.fromEntries(
    NAMES.map((name) => [
      name,
      async (input: any) => {
        const workflowId = Context.current().info.workflowExecution!.workflowId;
        calls.push({ name, workflowId, input });
        const impl = (perWorkflow.get(workflowId)?.[name] ?? defaults[name]) as ((i: any) => any) | undefined;
        return impl ? impl(input) : undefined;
      },
    ]),
  );
  bundle ??= bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as any,
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: await bundle,
    activities,
  });
  const running = worker.run();
  return {
    env,
    taskQueue,
    calls,
    callsOf: (workflowId, name) => calls.filter((c) => c.workflowId === workflowId && (!name || c.name === name)),
    stub: (workflowId, stubs) => void perWorkflow.set(workflowId, stubs),
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/** Polls `read` until it gives a value `ok` accepts (state queries while timers run). */
export async function pollUntil<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A unique workflow id for one test. */
export const wid = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

/** The failure a refused Update raises, as the API sees it: its type and details. */
export async function refusal(p: Promise<unknown>): Promise<{ type?: string; message: string }> {
  try {
    await p;
  } catch (e: any) {
    const cause = e?.cause ?? e;
    return { type: cause?.type, message: cause?.message ?? String(e) };
  }
  throw new Error('the Update was not refused');
}

export type { WorkflowHandle };
