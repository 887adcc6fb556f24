import { Controller, Get } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@ecomlog/auth';

/** Who the token belongs to, as this server verified it (the page shows roles and region). */
@Controller('api/session')
export class SessionController {
  @Get()
  session(@CurrentPrincipal() principal: Principal): {
    subject: string;
    kind: Principal['kind'];
    roles: Principal['roles'];
    regionPrefix: string;
  } {
    return {
      subject: principal.subject,
      kind: principal.kind,
      roles: principal.roles,
      regionPrefix: principal.regionPrefix,
    };
  }
}
