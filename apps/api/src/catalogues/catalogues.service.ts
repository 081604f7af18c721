// Catalogue versions (R3.1): the admin's on-demand compilation, drafts for the reviewer, published versions and
// their diffs for the public. Published rows are read as stored: they never change.
import { Inject, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { CatalogueRepository } from '../../../../repositories/catalogue.repository';
import { annualCatalogueWorkflowId, type CatalogueWorkflowInput } from '../../../../workflows/contracts/catalogue';
import { WORKFLOW_TYPES } from '../../../../workflows/contracts/common';
import type { catalogueWorkflow } from '../../../../workflows/catalogue.workflow';
import { diffCatalogues, type Catalogue } from '../../../../workflows/domain/catalogue';
import type { AuthUser } from '../auth/auth';
import { ApiError, conflict, notFound } from '../common/api-error';
import { APP_CONFIG, type AppConfig } from '../../../../platform/config';
import { TEMPORAL } from '../infra/infra.module';
import { toVersionDto, type CompilationDto } from './catalogue.dto';

@Injectable()
export class CataloguesService {
  constructor(
    private readonly catalogues: CatalogueRepository,
    @Inject(TEMPORAL) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts the annual compilation of a year (409 while one for the year runs or awaits its reviewer). */
  async compile(user: AuthUser, dto: CompilationDto) {
    const open = await this.catalogues.openAnnualDraft(dto.year);
    const running = () =>
      conflict(
        'CATALOGUE_COMPILATION_OPEN',
        `A compilation of the ${dto.year} catalogue is already under way.`,
        `${dto.year} 年度目录正在编制或审核中。`,
      );
    if (open) throw running();
    const workflowId = annualCatalogueWorkflowId(dto.year);
    const input: CatalogueWorkflowInput = { kind: 'ANNUAL', year: dto.year, requestedBy: user.userId };
    try {
      await this.temporal.workflow.start<typeof catalogueWorkflow>(WORKFLOW_TYPES.catalogue, {
        workflowId,
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        args: [input],
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw running();
      throw new ApiError(
        503,
        'WORKFLOW_UNAVAILABLE',
        'The workflow service is unavailable; nothing was started, try again.',
        '流程服务暂不可用，未发起编制，请稍后重试。',
      );
    }
    return { workflowId, year: dto.year, kind: dto.kind, status: 'COMPILING' };
  }

  /** A draft (or any version) with its diff against the version it was compared with: what the reviewer decides on. */
  async draft(id: string) {
    const v = await this.catalogues.version(id);
    if (!v) throw notFound('Catalogue draft', '目录草稿');
    const catalogue = await this.catalogues.catalogue(v.id);
    return {
      id: v.id,
      status: v.status,
      ...toVersionDto(v),
      requestedBy: v.requestedBy,
      createdAt: v.createdAt,
      diff: v.diff,
      ...catalogue,
    };
  }

  async publishedVersions() {
    const rows = await this.catalogues.publishedVersions();
    return { items: rows.map(toVersionDto) };
  }

  async published(number: number): Promise<{ version: ReturnType<typeof toVersionDto>; catalogue: Catalogue }> {
    const v = await this.catalogues.publishedVersion(number);
    if (!v) throw notFound(`Catalogue version ${number}`, `目录第 ${number} 版`);
    return { version: toVersionDto(v), catalogue: await this.catalogues.catalogue(v.id) };
  }

  async diff(number: number, against: number) {
    const [to, from] = await Promise.all([this.published(number), this.published(against)]);
    return { from: against, to: number, ...diffCatalogues(from.catalogue, to.catalogue) };
  }
}
