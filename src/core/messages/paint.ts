// Colour for the headless verbs' output: SGR codes when the output is a terminal that wants
// them, plain text otherwise. Used by every report (plan, server, sync), none of which owns it.
const SGR = { red: 31, green: 32, yellow: 33, cyan: 36, bold: 1, dim: 2 } as const;
export type Paint = (style: keyof typeof SGR, s: string) => string;

export function painter(color: boolean): Paint {
  return color ? (style, s) => `\x1b[${SGR[style]}m${s}\x1b[0m` : (_style, s) => s;
}
