// "Step 2 of 5 · Gateway Manager · Review", numbered as the WSO2 procedure is: 1 load
// balancer, 2 manager, 3 worker, 4 Hazelcast, 5 start. The bar below shows where this node is.
import { Box, Text } from 'ink';
import { ROLE_INFO, type Role } from '../../core/answers/schema.js';

export const PROCEDURE = [
  { step: 1, name: 'Load balancer', role: 'load-balancer' },
  { step: 2, name: 'Manager', role: 'manager' },
  { step: 3, name: 'Worker', role: 'worker' },
  { step: 4, name: 'Hazelcast' },
  { step: 5, name: 'Start' },
] as const;

export function stepOf(role: Role): number {
  return PROCEDURE.find((p) => 'role' in p && p.role === role)!.step;
}

/** `step`: a later step of the procedure done on this node (5, start), instead of the role's own. */
export function stepTitle(role: Role | undefined, screen: string, step?: number): string {
  if (!role) return screen;
  return `Step ${step ?? stepOf(role)} of ${PROCEDURE.length} · ${ROLE_INFO[role].title} · ${screen}`;
}

export function StepIndicator({ role, screen, step }: { role?: Role; screen: string; step?: number }) {
  const current = role ? (step ?? stepOf(role)) : undefined;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {stepTitle(role, screen, step)}
      </Text>
      <Text wrap="truncate-end">
        {PROCEDURE.map((p) =>
          p.step === current ? (
            <Text key={p.step} inverse bold>{` ${p.step} ${p.name} `}</Text>
          ) : (
            <Text key={p.step} dimColor>{` ${p.step} ${p.name} `}</Text>
          ),
        )}
      </Text>
    </Box>
  );
}
