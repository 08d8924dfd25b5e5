// Every step of the procedure, in the order the WSO2 docs number them.
import { depsyncStep } from './depsync.js';
import { gatewayStep } from './gateway.js';
import { hazelcastStep } from './hazelcast.js';
import { loadBalancerStep } from './load-balancer.js';
import { prepareStep } from './prepare.js';
import type { Step } from './contribution.js';

export const STEPS: readonly Step[] = [loadBalancerStep, gatewayStep, depsyncStep, hazelcastStep, prepareStep];
