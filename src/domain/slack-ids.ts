/**
 * Slack's IDs, the one pattern for each: users (U…, or W… on Enterprise Grid) and conversations (C… public,
 * G… private, D… direct). Values read back from the cluster or a button are checked against these before
 * they become a mention or a channel to post to.
 */
const USER_ID = /^[UW][A-Z0-9]{2,20}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,20}$/;

export function isSlackUserId(value: string): boolean {
  return USER_ID.test(value);
}

export function isSlackChannelId(value: string): boolean {
  return CHANNEL_ID.test(value);
}
