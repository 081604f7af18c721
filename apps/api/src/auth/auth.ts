// Authentication (bearer token) and each route's role gate, taken from the access policy (access.ts) by the
// route's permission; ownership and region checks call requireAccess in the services.
import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Actor, Role } from '../../../../workflows/contracts/common';
import { ApiError } from '../common/api-error';
import { APP_CONFIG, type AppConfig } from '../../../../platform/config';
import { ACCESS, forbiddenRole, requireAccess, type AccessRule, type Permission } from './access';
import { verifyToken } from './token';

export interface AuthUser extends Actor {
  roles: Role[];
}

const PUBLIC = 'skillflow:public';
const PERMISSION_KEY = 'skillflow:permission';

/** No token needed (health, docs, /public/*). */
export const Public = () => SetMetadata(PUBLIC, true);
/** The route's permission in the access policy: its role gate is checked before the handler runs. */
export const Access = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);

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
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    const needed: AccessRule['roles'] = permission ? (ACCESS[permission] as AccessRule).roles : undefined;
    if (needed && !needed.some((r) => claims.roles.includes(r))) forbiddenRole(needed);
    return true;
  }
}

/** Staff see cases of their region and the regions below it (403 FORBIDDEN_REGION otherwise). */
export function assertRegion(user: AuthUser, caseRegion: string): void {
  requireAccess(user, 'region', { regionCode: caseRegion });
}
