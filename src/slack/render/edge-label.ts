import { escapeMrkdwn } from './blocks.js';

/** Which edge a message is about, when the bot serves several: its name and region (undefined with one edge). */
export interface EdgeLabel {
  readonly name: string;
  readonly region: string;
}

/** " on prod (eu-west-1)" for headers and text; "" with one edge. */
export function onEdge(edge: EdgeLabel | undefined): string {
  return edge === undefined ? '' : ` on ${edge.name} (${edge.region})`;
}

/** " on `prod` (eu-west-1)" in mrkdwn; "" with one edge. */
export function onEdgeMarkdown(edge: EdgeLabel | undefined): string {
  return edge === undefined ? '' : ` on \`${escapeMrkdwn(edge.name)}\` (${escapeMrkdwn(edge.region)})`;
}
