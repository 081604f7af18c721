// The workflow execution an activity runs for: recorded with every audit entry (repositories/audit.repository.ts).
import { Context } from '@temporalio/activity';

/** The workflow run this activity works for: recorded with every audit entry. */
export function currentExecution(): { workflowId: string; runId: string } {
  const exec = Context.current().info.workflowExecution;
  if (!exec) throw new Error('skillflow activities run only on behalf of a workflow');
  return { workflowId: exec.workflowId, runId: exec.runId };
}
