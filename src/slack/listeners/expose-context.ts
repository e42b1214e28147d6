import type { ExposeDependencies } from '../../commands/expose-assessment.js';
import { describeBackend } from '../../domain/expose-request.js';
import type { DecisionStore } from '../../ports/kube/decision-gateway.js';
import type { ButtonValueSigner } from '../button-value-signer.js';
import { decodeExposeTicket, type ExposeTicket } from '../expose-tickets.js';
import type { ButtonClick } from '../runner/register-button.js';

/** What the buttons of /expose and /unexpose share: signed values, who the admins are, where notices go. */
export interface ButtonDependencies {
  readonly signer: ButtonValueSigner;
  readonly admins: readonly string[];
  readonly alertChannel: string | undefined;
  readonly now: () => Date;
}

export interface ExposeSlackDependencies extends ButtonDependencies {
  readonly expose: ExposeDependencies;
  /** Where Approve and Reject record who decided first. */
  readonly decisions: DecisionStore;
}

/** The signed request of a click, validated again; what it names goes into the click's log line. */
export function readTicket(deps: ExposeSlackDependencies, click: ButtonClick, now: Date): ExposeTicket {
  const ticket = decodeExposeTicket(deps.signer, click.value, now);
  Object.assign(click.log, {
    host: ticket.request.host,
    path: ticket.request.path,
    backend: describeBackend(ticket.request),
    requestedBy: ticket.requestedBy,
  });
  return ticket;
}
