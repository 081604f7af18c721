// The catalogues (目录清单管理, R3.1). ANNUAL (on the Schedule or an admin's request): compile a draft → a
// reviewer approves (published as the next number) or rejects. AMENDMENT (目录调整): a debouncer started by
// qualification changes collects them for amendmentDelaySeconds and publishes one amendment with the reasons.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { activities, refuse } from './workflow-kit';
import {
  CATALOGUE_REGION,
  catalogueChangedSignal,
  catalogueDecisionUpdate,
  catalogueStateQuery,
  type CatalogueChange,
  type CatalogueDecisionRequest,
  type CatalogueState,
  type CatalogueWorkflowInput,
} from './contracts/catalogue';
import { scheduledCatalogueYear } from './domain/catalogue';
import { refuseCatalogueDecision, type CatalogueReview } from './domain/catalogue-review';

export async function catalogueWorkflow(input: CatalogueWorkflowInput): Promise<CatalogueState> {
  return input.kind === 'ANNUAL' ? annual(input) : amendments(input);
}

async function annual(input: CatalogueWorkflowInput): Promise<CatalogueState> {
  const year = input.year ?? scheduledCatalogueYear(workflowInfo().startTime);
  const state: CatalogueState = { kind: 'ANNUAL', year, status: 'COMPILING', published: [] };
  // The run as its Update validator sees it (issue 8.5).
  const review: CatalogueReview = { state, decided: false };
  setHandler(catalogueStateQuery, () => state);
  setHandler(
    catalogueDecisionUpdate,
    async ({ taskId, actor, outcome, reason }: CatalogueDecisionRequest) => {
      review.decided = true; // claimed synchronously: a second decision racing this one is refused by the validator
      state.openTaskId = undefined;
      const updateId = currentUpdateInfo()!.id;
      const versionId = state.versionId!;
      if (outcome === 'REJECT') {
        await activities.rejectCatalogue({ versionId, taskId, updateId, actor, reason: reason! });
        state.status = 'REJECTED';
        return { versionId, status: 'REJECTED' as const };
      }
      const published = await activities.publishCatalogue({ versionId, taskId, updateId, actor, reason });
      state.status = 'PUBLISHED';
      state.published.push(published.number);
      return { versionId, status: 'PUBLISHED' as const, ...published };
    },
    {
      validator: (request: CatalogueDecisionRequest) => {
        const refusal = refuseCatalogueDecision(review, request);
        if (refusal) refuse(refusal);
      },
    },
  );

  const draft = await activities.compileCatalogueDraft({ year, requestedBy: input.requestedBy });
  state.versionId = draft.versionId;
  const { projects: p, institutions: i } = draft.summary;
  // The task id is made here, so the validator knows the task before it reaches anyone's inbox.
  const taskId = uuid4();
  state.openTaskId = taskId;
  state.status = 'UNDER_REVIEW';
  await activities.openCatalogueReview({
    versionId: draft.versionId,
    taskId,
    title:
      `${year}年度培训项目目录和培训机构目录审核 Review the ${year} catalogues ` +
      `(vs. No. ${draft.basedOnNumber ?? '—'}: projects +${p.added} −${p.removed} ~${p.changed}; institutions +${i.added} −${i.removed} ~${i.changed})`,
  });
  await condition(() => review.decided && allHandlersFinished());
  return state;
}

/** Signals may arrive before the first line runs (signalWithStart), so the handler is set before anything awaits. */
async function amendments(input: CatalogueWorkflowInput): Promise<CatalogueState> {
  const state: CatalogueState = { kind: 'AMENDMENT', status: 'WAITING', published: [] };
  const pending: CatalogueChange[] = [...(input.pendingChanges ?? [])];
  setHandler(catalogueStateQuery, () => state);
  setHandler(catalogueChangedSignal, (change) => {
    pending.push(change);
  });
  const { parameters } = await activities.resolvePolicyFor({ regionCode: CATALOGUE_REGION, at: workflowInfo().startTime.toISOString() });

  for (let seq = 1; ; seq++) {
    await condition(() => pending.length > 0);
    // A fixed window from the first change, not a sliding one: a burst becomes one amendment, and a steady
    // trickle of changes still publishes within the delay.
    await sleep(parameters.catalogue.amendmentDelaySeconds * 1000);
    const changes = pending.splice(0, pending.length);
    state.status = 'COMPILING';
    const result = await activities.publishAmendment({ seq, changes });
    if (result.number !== null) state.published.push(result.number);
    state.status = 'WAITING';
    if (pending.length === 0) break; // a later change starts a new run (signalWithStart)
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof catalogueWorkflow>({ ...input, pendingChanges: pending });
  }
  state.status = 'DONE';
  await condition(allHandlersFinished);
  return state;
}
