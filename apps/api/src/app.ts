// Builds the HTTP application: used by main.ts and by the integration tests alike.
import 'reflect-metadata';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { ErrorFilter } from './common/error.filter';
import { PinoNestLogger } from './common/nest-logger';
import { requestContext } from './common/request-context';
import type { AppConfig } from '../../../platform/config';
import { InfraModule } from './infra/infra.module';

export async function createApp(config: AppConfig, logger: Logger): Promise<INestApplication> {
  @Module({ imports: [InfraModule.register(config, logger), AppModule] })
  class RootModule {}

  const app = await NestFactory.create<NestExpressApplication>(RootModule, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  app.disable('x-powered-by');
  app.use(requestContext(logger));
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('text', { type: 'text/csv', limit: '5mb' });
  app.useGlobalFilters(new ErrorFilter(logger));
  app.enableShutdownHooks();

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('skillflow')
      .setDescription(
        'Vocational-skills training subsidy programme (职业技能提升培训补贴): filings, tasks, qualifications, policy. ' +
          'Errors: {"error":{"code","message","messageZh","details"}}. Money in integer fen.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'openapi.json' });
  return app;
}
