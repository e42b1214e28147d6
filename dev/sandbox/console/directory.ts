/** Names the console shows for Slack IDs (users, channels); an unknown ID is shown as is. */
export interface Directory {
  userName(id: string): string | undefined;
  channelName(id: string): string | undefined;
}
