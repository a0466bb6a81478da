/** Colours for states and outcomes, shared by the screens. */
import type { RecordState } from '../shared/contract/queue.ts';
import type { OutcomeKind } from '../shared/platform/outcome.ts';

export const OUTCOME_COLORS: Record<OutcomeKind, string> = {
  accepted: 'green',
  ignored: 'gold',
  rejected: 'red',
  auth: 'magenta',
  retry: 'orange',
};

export const STATE_COLORS: Record<RecordState, string> = {
  waiting: 'blue',
  sending: 'processing',
  accepted: 'green',
  attention: 'red',
  cancelled: 'default',
};
