// Authentication (bearer token) and role checks as decorators; ownership and region checks live in services.
import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Actor, Role } from '../../../../workflows/contracts/common';
import { regionCovers } from '../../../../workflows/domain/region';
import { ApiError } from '../common/api-error';
import { APP_CONFIG, type AppConfig } from '../config';
import { verifyToken } from './token';

export interface AuthUser extends Actor {
  roles: Role[];
}

const PUBLIC = 'skillflow:public';
const ROLES_KEY = 'skillflow:roles';

/** No token needed (health, docs, /public/*). */
export const Public = () => SetMetadata(PUBLIC, true);
/** The caller needs at least one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<Request & { user: AuthUser }>().user;
});

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const claims = token ? verifyToken(token, this.config.AUTH_SECRET) : null;
    if (!claims) {
      throw new ApiError(401, 'UNAUTHENTICATED', 'A valid bearer token is required.', '需要有效的访问令牌。');
    }
    req.user = { userId: claims.sub, roles: claims.roles, regionCode: claims.region, institutionId: claims.institution };
    const needed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    if (needed && !needed.some((r) => claims.roles.includes(r))) {
      throw new ApiError(
        403,
        'FORBIDDEN_ROLE',
        `This needs one of the roles: ${needed.join(', ')}.`,
        `此操作需要以下角色之一：${needed.join('、')}。`,
      );
    }
    return true;
  }
}

/** Staff see cases of their region and the regions below it. */
export function assertRegion(user: AuthUser, caseRegion: string): void {
  if (!regionCovers(user.regionCode, caseRegion)) {
    throw new ApiError(403, 'FORBIDDEN_REGION', 'This case belongs to another region.', '该事项属于其他地区。');
  }
}
