import { createHash } from 'node:crypto';
import { type ExposeRequest, exposeRequestFrom } from '../domain/expose-request.js';
import { normaliseHostName } from '../domain/host-name.js';
import { isDnsLabel, isDnsSubdomain } from '../domain/kube-names.js';
import { isSlackChannelId, isSlackUserId } from '../domain/slack-ids.js';
import { ErrorCode, UserFacingError } from '../errors.js';
import type { ButtonValueSigner } from './button-value-signer.js';

/** A pending /expose request: what to expose, who asked and where. Travels signed in button values. */
export interface ExposeTicket {
  /** The edge it is for; undefined in values signed before edges had names (the only edge then). */
  readonly edge?: string | undefined;
  readonly request: ExposeRequest;
  readonly requestedBy: string;
  readonly channel: string;
}

/** A confirmed /unexpose: exactly which Ingress (uid) the admin saw. */
export interface UnexposeTicket {
  /** The edge it is for; undefined with one edge. */
  readonly edge?: string | undefined;
  readonly host: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly requestedBy: string;
  readonly channel: string;
}

const EXPOSE = 'expose';
const UNEXPOSE = 'unexpose';
const UID = /^[0-9a-f-]{1,64}$/i;
const isUid = (value: string) => UID.test(value);

/** An approval request's id: its button value (signed, and unique per request by its issue time), hashed. */
export function approvalRequestId(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}

export function encodeExposeTicket(signer: ButtonValueSigner, ticket: ExposeTicket, now: Date): string {
  const { request } = ticket;
  const port = 'number' in request.port ? request.port.number : request.port.name;
  return signer.sign(
    EXPOSE,
    {
      ...edgeField(ticket.edge),
      h: request.host,
      n: request.namespace,
      s: request.service,
      p: port,
      a: request.path,
      r: ticket.requestedBy,
      c: ticket.channel,
    },
    now,
  );
}

/** Verifies the signature and age, then validates every field again as if it had been typed. */
export function decodeExposeTicket(signer: ButtonValueSigner, value: unknown, now: Date): ExposeTicket {
  const data = signer.verify(EXPOSE, value, now);
  const port = data['p'];
  const request = exposeRequestFrom({
    host: text(data['h']),
    namespace: text(data['n']),
    service: text(data['s']),
    port: typeof port === 'number' ? port : text(port),
    path: text(data['a']),
  });
  return {
    edge: edgeOf(data['e']),
    request,
    requestedBy: matching(data['r'], isSlackUserId),
    channel: matching(data['c'], isSlackChannelId),
  };
}

export function encodeUnexposeTicket(signer: ButtonValueSigner, ticket: UnexposeTicket, now: Date): string {
  return signer.sign(
    UNEXPOSE,
    {
      ...edgeField(ticket.edge),
      h: ticket.host,
      n: ticket.namespace,
      i: ticket.name,
      u: ticket.uid,
      r: ticket.requestedBy,
      c: ticket.channel,
    },
    now,
  );
}

export function decodeUnexposeTicket(signer: ButtonValueSigner, value: unknown, now: Date): UnexposeTicket {
  const data = signer.verify(UNEXPOSE, value, now);
  return {
    edge: edgeOf(data['e']),
    host: normaliseHostName(text(data['h'])),
    namespace: matching(data['n'], isDnsLabel),
    name: matching(data['i'], isDnsSubdomain),
    uid: matching(data['u'], isUid),
    requestedBy: matching(data['r'], isSlackUserId),
    channel: matching(data['c'], isSlackChannelId),
  };
}

function edgeField(edge: string | undefined): { e?: string } {
  return edge === undefined ? {} : { e: edge };
}

function edgeOf(value: unknown): string | undefined {
  return value === undefined ? undefined : matching(value, isDnsLabel);
}

function text(value: unknown): string {
  if (typeof value !== 'string') throw malformed();
  return value;
}

function matching(value: unknown, valid: (value: string) => boolean): string {
  const checked = text(value);
  if (!valid(checked)) throw malformed();
  return checked;
}

function malformed(): UserFacingError {
  return new UserFacingError(
    ErrorCode.BadInput,
    'This button carries a request the bot cannot read, so nothing was done.',
    'Run the command again for fresh buttons.',
  );
}
