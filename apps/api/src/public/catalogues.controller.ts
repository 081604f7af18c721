// Published catalogues for everyone (API.md /public/catalogues, R3.1): versions, one version with filters, the
// diff between two, JSON or CSV. Institutions only: no personal data, not even who approved.
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth';
import { catalogueQuery, CSV_TABLES, diffQuery, filterCatalogue, versionParam, type CatalogueQuery } from '../catalogues/catalogue.dto';
import { CataloguesService } from '../catalogues/catalogues.service';
import { toCsv } from '../common/csv';
import { ApiZodQuery, ZodPipe } from '../common/zod';

@ApiTags('public 公开')
@Public()
@Controller('public/catalogues')
export class PublicCataloguesController {
  constructor(private readonly catalogues: CataloguesService) {}

  @Get()
  @ApiOperation({ summary: 'Published catalogue versions (年度目录 and 目录调整), newest first' })
  list() {
    return this.catalogues.publishedVersions();
  }

  @Get(':version')
  @ApiOperation({
    summary:
      'One published version: projects, training and evaluation institutions, filtered; ?format=csv&table=… gives UTF-8 CSV (BOM, CRLF) for Excel',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiZodQuery(catalogueQuery)
  async get(
    @Param('version', new ZodPipe(versionParam)) version: number,
    @Query(new ZodPipe(catalogueQuery)) q: CatalogueQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { version: v, catalogue } = await this.catalogues.published(version);
    const picked = filterCatalogue(catalogue, q);
    if (q.format === 'json') {
      const names = new Map(picked.institutions.map((i) => [i.institutionId, i.name]));
      return {
        ...v,
        projects: picked.projects.map(({ institutionIds, ...p }) => ({
          ...p,
          institutions: institutionIds.map((id) => ({ id, name: names.get(id) ?? null })),
        })),
        institutions: picked.institutions,
        evaluators: picked.evaluators,
      };
    }
    const table = CSV_TABLES[q.table];
    const csv = toCsv(table.headers, table.rows(picked));
    const file = `catalogue-${version}-${q.table}.csv`;
    const fileZh = encodeURIComponent(`${table.titleZh}-第${version}版.csv`);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${file}"; filename*=UTF-8''${fileZh}`);
    return csv;
  }

  @Get(':version/diff')
  @ApiOperation({ summary: 'What changed between two published versions (?against=<number>)' })
  @ApiZodQuery(diffQuery)
  diff(@Param('version', new ZodPipe(versionParam)) version: number, @Query(new ZodPipe(diffQuery)) q: { against: number }) {
    return this.catalogues.diff(version, q.against);
  }
}
