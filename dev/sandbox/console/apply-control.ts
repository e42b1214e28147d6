import { z } from 'zod';
import { isUserFacingError } from '../../../src/errors.js';
import type { WorldSimulation } from '../world-simulation.js';

const controls = {
  node: z.object({ name: z.string().min(1), ready: z.boolean() }),
  'traffic-policy': z.object({ policy: z.enum(['Local', 'Cluster']) }),
  certificate: z.object({ arn: z.string().min(1), expired: z.boolean() }),
  reset: z.object({}).strict(),
} as const;

export type ControlOutcome = { readonly ok: true } | { readonly ok: false; readonly status: 400 | 404; readonly error: string };

/**
 * One sandbox control by name (the console's POST /api/controls/<name>) with its JSON body. Bad input
 * is answered with what is wrong and changes nothing.
 */
export function applyControl(world: WorldSimulation, name: string, body: unknown): ControlOutcome {
  if (!Object.hasOwn(controls, name)) return { ok: false, status: 404, error: `No control named ${name}.` };
  try {
    switch (name as keyof typeof controls) {
      case 'node': {
        const input = controls.node.parse(body);
        world.setNodeReady(input.name, input.ready);
        break;
      }
      case 'traffic-policy':
        world.setTrafficPolicy(controls['traffic-policy'].parse(body).policy);
        break;
      case 'certificate': {
        const input = controls.certificate.parse(body);
        world.setCertificateExpired(input.arn, input.expired);
        break;
      }
      case 'reset':
        controls.reset.parse(body);
        world.reset();
        break;
    }
  } catch (error) {
    if (error instanceof z.ZodError) {
      return {
        ok: false,
        status: 400,
        error: `Invalid ${name} control: ${error.issues.map((issue) => `${issue.path.join('.') || 'body'} ${issue.message}`).join('; ')}`,
      };
    }
    if (isUserFacingError(error)) return { ok: false, status: 404, error: error.message };
    throw error;
  }
  return { ok: true };
}
