// Staff side of the catalogues (R3.1): an admin starts a compilation; the reviewer reads the draft and its diff
// (the decision itself goes through POST /tasks/:id/decision).
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, type AuthUser } from '../auth/auth';
import { ApiZodBody, ZodPipe } from '../common/zod';
import { UuidPipe } from '../common/uuid';
import { compilationSchema, type CompilationDto } from './catalogue.dto';
import { CataloguesService } from './catalogues.service';

@ApiTags('catalogues 目录清单')
@ApiBearerAuth()
@Controller('catalogues')
export class CataloguesController {
  constructor(private readonly catalogues: CataloguesService) {}

  @Post('compilations')
  @HttpCode(202)
  @Access('catalogue.compile')
  @ApiOperation({
    summary:
      "Compile a year's training-project and institution catalogues now (admin); a reviewer approves the draft. 409 while one for the year is open",
  })
  @ApiZodBody(compilationSchema)
  compile(@CurrentUser() user: AuthUser, @Body(new ZodPipe(compilationSchema)) body: CompilationDto) {
    return this.catalogues.compile(user, body);
  }

  @Get('drafts/:id')
  @Access('catalogue.draft')
  @ApiOperation({ summary: 'A compiled catalogue version (draft or decided) with its diff against the version current at compilation' })
  draft(@Param('id', new UuidPipe('Catalogue draft', '目录草稿')) id: string) {
    return this.catalogues.draft(id);
  }
}
