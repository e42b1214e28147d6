import { ErrorCode, UserFacingError } from '../errors.js';

/** Admins (EXPOSE_ADMINS) apply, approve, reject and remove; everyone else may only ask. */
export function isExposeAdmin(userId: string, admins: readonly string[]): boolean {
  return admins.includes(userId);
}

/** Checked on every click: a button reaching someone else's hands must not act for them. */
export function requireExposeAdmin(userId: string, admins: readonly string[], action: string): void {
  if (isExposeAdmin(userId, admins)) return;
  throw new UserFacingError(
    ErrorCode.NotAuthorized,
    `Only /expose admins can ${action}; nothing was changed.`,
    admins.length === 0
      ? 'No admins are configured (EXPOSE_ADMINS, and the edge’s admins, are empty).'
      : 'Ask one of the admins listed in EXPOSE_ADMINS (or the edge’s admins).',
  );
}

/** Request approval and Cancel belong to the person who ran the command. */
export function requireRequester(userId: string, requestedBy: string, action: string): void {
  if (userId === requestedBy) return;
  throw new UserFacingError(ErrorCode.NotAuthorized, `Only the person who asked can ${action}; nothing was changed.`);
}
