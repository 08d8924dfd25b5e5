// Test-only fault points. Apply calls faultPoint() between every step of its work; the
// fault-injection tests set APIM_GATEWAY_WIZARD_TEST_KILL_AT=N to SIGKILL the process at
// point N (proving that no kill leaves a half-written node), _TEST_PAUSE_AT=N to hold it
// there while a file named by _TEST_PAUSE_FILE exists (two applies at once), and
// _TEST_COUNT_FILE to learn how many points a run passes. Unset, it does nothing.
import { appendFileSync, existsSync } from 'node:fs';

const env = process.env;
const killAt = Number(env.APIM_GATEWAY_WIZARD_TEST_KILL_AT ?? 0);
const pauseAt = Number(env.APIM_GATEWAY_WIZARD_TEST_PAUSE_AT ?? 0);
const countFile = env.APIM_GATEWAY_WIZARD_TEST_COUNT_FILE;
let passed = 0;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function faultPoint(label: string): Promise<void> {
  if (!killAt && !pauseAt && !countFile) return;
  passed += 1;
  if (countFile) appendFileSync(countFile, `${passed} ${label}\n`);
  if (passed === killAt) process.kill(process.pid, 'SIGKILL');
  if (passed === pauseAt && env.APIM_GATEWAY_WIZARD_TEST_PAUSE_FILE) {
    while (existsSync(env.APIM_GATEWAY_WIZARD_TEST_PAUSE_FILE)) await sleep(20);
  }
}
