// Fault injection for reliability tests: duplicated deliveries, lost acks and slow deliveries,
// all drawn from a seeded generator so that a failing run can be replayed.
import { z } from 'zod';
import { mulberry32 } from '../../core/random';

export interface PubSubFaults {
  /** Deliver every published message twice, as two independent deliveries with different ackIds. */
  duplicate?: boolean;
  /** Fraction (0..1) of acks that are silently lost: the message is redelivered after its deadline. */
  nackFraction?: number;
  /** Delay every delivery (Pull response, StreamingPull batch, push POST) by this many ms. */
  delayMs?: number;
  /** Seed of the generator behind nackFraction; the same seed gives the same lost acks. */
  seed?: number;
}

const faultsSchema = z
  .object({
    duplicate: z.boolean().optional(),
    nackFraction: z.number().min(0).max(1).optional(),
    delayMs: z.number().int().min(0).optional(),
    seed: z.number().int().optional(),
  })
  .strict();

/** Validates faults given in code or JSON, with a message that says what to fix. */
export function parseFaults(value: unknown, source = 'faults'): PubSubFaults {
  const parsed = faultsSchema.safeParse(value);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid ${source}: ${why}. Expected JSON like {"duplicate":true,"nackFraction":0.2,"delayMs":50,"seed":1}`);
  }
  return parsed.data;
}

/** Reads SORTINGVIEW_PUBSUB_FAULTS (JSON) from the given environment; none set means no faults. */
export function faultsFromEnv(env: Record<string, string | undefined>): PubSubFaults {
  const raw = env.SORTINGVIEW_PUBSUB_FAULTS;
  if (!raw) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (cause) {
    throw new Error(`SORTINGVIEW_PUBSUB_FAULTS is not valid JSON: ${raw}`, { cause });
  }
  return parseFaults(json, 'SORTINGVIEW_PUBSUB_FAULTS');
}

/** Decides which acks get lost, repeatably for a given seed. */
export const seededRandom = mulberry32;

/** The active faults plus the generator they draw from. */
export class FaultSwitch {
  private faults: PubSubFaults = {};
  private random: () => number = seededRandom(0);

  constructor(initial: PubSubFaults = {}) {
    this.set(initial);
  }

  set(faults: PubSubFaults): void {
    this.faults = parseFaults(faults);
    this.random = seededRandom(this.faults.seed ?? 0);
  }

  get duplicate(): boolean {
    return this.faults.duplicate ?? false;
  }

  get delayMs(): number {
    return this.faults.delayMs ?? 0;
  }

  /** Decides, for one ack, whether it is lost on the way. */
  loseAck(): boolean {
    const fraction = this.faults.nackFraction ?? 0;
    return fraction > 0 && this.random() < fraction;
  }
}
