import { registerEnumType } from '@nestjs/graphql';

/**
 * The roles as the admin APIs take and show them: `viewer`/`operator`/`admin` in REST, `VIEWER`/`OPERATOR`/`ADMIN`
 * in GraphQL (which publishes member names). The values are AdminRole's.
 */
export enum AdminRoleValue {
  VIEWER = 'viewer',
  OPERATOR = 'operator',
  ADMIN = 'admin',
}

registerEnumType(AdminRoleValue, {
  name: 'AdminRole',
  description:
    'VIEWER reads; OPERATOR also retries, replays and triggers work; ADMIN also changes configuration, shops and keys.',
});
