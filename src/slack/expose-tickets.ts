import { exposeRequestFrom, type ExposeRequest } from '../domain/expose-request.js';
import { normaliseHostName } from '../domain/host-name.js';
import { ErrorCode, UserFacingError } from '../errors.js';
import type { ButtonValueSigner } from './button-value-signer.js';

/** A pending /expose request: what to expose, who asked and where. Travels signed in button values. */
export interface ExposeTicket {
  readonly request: ExposeRequest;
  readonly requestedBy: string;
  readonly channel: string;
}

/** A confirmed /unexpose: exactly which Ingress (uid) the admin saw. */
export interface UnexposeTicket {
  readonly host: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly requestedBy: string;
  readonly channel: string;
}

const EXPOSE = 'expose';
const UNEXPOSE = 'unexpose';
const USER_ID = /^[UW][A-Z0-9]{2,20}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,20}$/;
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const UID = /^[0-9a-f-]{1,64}$/i;

export function encodeExposeTicket(signer: ButtonValueSigner, ticket: ExposeTicket, now: Date): string {
  const { request } = ticket;
  const port = 'number' in request.port ? request.port.number : request.port.name;
  return signer.sign(EXPOSE, { h: request.host, n: request.namespace, s: request.service, p: port, a: request.path, r: ticket.requestedBy, c: ticket.channel }, now);
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
  return { request, requestedBy: matching(data['r'], USER_ID), channel: matching(data['c'], CHANNEL_ID) };
}

export function encodeUnexposeTicket(signer: ButtonValueSigner, ticket: UnexposeTicket, now: Date): string {
  return signer.sign(UNEXPOSE, { h: ticket.host, n: ticket.namespace, i: ticket.name, u: ticket.uid, r: ticket.requestedBy, c: ticket.channel }, now);
}

export function decodeUnexposeTicket(signer: ButtonValueSigner, value: unknown, now: Date): UnexposeTicket {
  const data = signer.verify(UNEXPOSE, value, now);
  return {
    host: normaliseHostName(text(data['h'])),
    namespace: matching(data['n'], OBJECT_NAME),
    name: matching(data['i'], OBJECT_NAME),
    uid: matching(data['u'], UID),
    requestedBy: matching(data['r'], USER_ID),
    channel: matching(data['c'], CHANNEL_ID),
  };
}

function text(value: unknown): string {
  if (typeof value !== 'string') throw malformed();
  return value;
}

function matching(value: unknown, pattern: RegExp): string {
  const checked = text(value);
  if (!pattern.test(checked)) throw malformed();
  return checked;
}

function malformed(): UserFacingError {
  return new UserFacingError(ErrorCode.BadInput, 'This button carries a request the bot cannot read, so nothing was done.', 'Run the command again for fresh buttons.');
}
