// Every step of the procedure, in the order the WSO2 docs number them.
import { gatewayStep } from './gateway.js';
import { loadBalancerStep } from './load-balancer.js';
import type { Step } from './contribution.js';

export const STEPS: readonly Step[] = [loadBalancerStep, gatewayStep];
