// Catalogue activities (目录清单, R3.1): compile a draft, open its review, publish it as the next gapless number,
// publish amendments, over the catalogue repository. Each is idempotent: keyed by the workflow run or the Update id.
import { type Actor } from '../workflows/contracts/common';
import { type CatalogueChange } from '../workflows/contracts/catalogue';
import { diffSummary } from '../workflows/domain/catalogue';
import { currentExecution } from './audit';
import type { CatalogueRepository } from '../repositories/catalogue.repository';

export function createCatalogueActivities(catalogues: CatalogueRepository) {
  return {
    /** An annual draft: both catalogues for 1 January of the year (or now if later), with the diff against the current version. */
    async compileCatalogueDraft(input: {
      year: number;
      requestedBy: string;
    }): Promise<{ versionId: string; basedOnNumber: number | null; summary: ReturnType<typeof diffSummary> }> {
      return catalogues.compileCatalogueDraft(input, currentExecution());
    },

    /** The reviewer's task (role reviewer, the province); its title carries the diff counts, the draft endpoint the diff. */
    async openCatalogueReview(input: { versionId: string; taskId: string; title: string }): Promise<void> {
      return catalogues.openCatalogueReview(input, currentExecution());
    },

    /** Approve: the draft becomes the next number, effective 1 January of its year or now if later; the diff is taken again against the version current now. */
    async publishCatalogue(input: {
      versionId: string;
      taskId: string;
      updateId: string;
      actor: Actor;
      reason?: string;
    }): Promise<{ number: number; effectiveFrom: string }> {
      return catalogues.publishCatalogue(input, currentExecution());
    },

    async rejectCatalogue(input: { versionId: string; taskId: string; updateId: string; actor: Actor; reason: string }): Promise<void> {
      return catalogues.rejectCatalogue(input, currentExecution());
    },

    /**
     * An amendment of the latest published version (目录调整), published without review with its reasons, in force
     * now or when the version it amends takes effect, whichever is later. Nothing to amend (no published version)
     * or nothing changed: no version, so numbers stay meaningful.
     */
    async publishAmendment(input: {
      seq: number;
      changes: CatalogueChange[];
    }): Promise<{ number: number | null; skipped?: 'NO_BASE' | 'NO_CHANGE' }> {
      return catalogues.publishAmendment(input, currentExecution());
    },
  };
}
