// Screens need a terminal: stdin and stdout TTYs, and not a CI run (which has no one at the keys).
export function canRunInteractive(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true && !process.env.CI;
}
