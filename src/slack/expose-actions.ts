/** The action ids of the /expose and /unexpose buttons (labels are in the renderers). */
export const ExposeAction = {
  Apply: 'expose_apply',
  Cancel: 'expose_cancel',
  RequestApproval: 'expose_request_approval',
  Approve: 'expose_approve',
  Reject: 'expose_reject',
  Remove: 'unexpose_remove',
} as const;
export type ExposeAction = (typeof ExposeAction)[keyof typeof ExposeAction];
