// The cron schedule of the sync job: five fields (minute hour day-of-month month
// day-of-week) or one of cron's @ nicknames. Checked here so that a typo is named at
// the prompt instead of cron silently ignoring the whole file.
import { shown } from '../messages/shown.js';

const NICKNAMES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const RULES: FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];

function value(s: string, rule: FieldRule): number | undefined {
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n >= rule.min && n <= rule.max ? n : undefined;
  }
  const i = rule.names?.indexOf(s.toLowerCase()) ?? -1;
  return i < 0 ? undefined : i + (rule.names === MONTHS ? 1 : 0);
}

function checkField(field: string, rule: FieldRule): string | undefined {
  for (const part of field.split(',')) {
    const [range, step, extra] = part.split('/');
    if (extra !== undefined || range === undefined || range === '') return `${rule.name} "${shown(field)}" is not valid`;
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `${rule.name} "${shown(field)}": the step after / must be a whole number`;
    if (range === '*') continue;
    const [from, to, more] = range.split('-');
    if (more !== undefined) return `${rule.name} "${shown(field)}" is not valid`;
    const a = value(from!, rule);
    const b = to === undefined ? a : value(to, rule);
    if (a === undefined || b === undefined) return `${rule.name} "${shown(field)}" is outside ${rule.min}-${rule.max}${rule.names ? ' (or a name)' : ''}`;
    if (b < a) return `${rule.name} "${shown(field)}": the range runs backwards`;
  }
  return undefined;
}

export function checkCronSchedule(v: string): string | undefined {
  const s = v.trim();
  if (s === '') return 'must not be empty';
  if (s.startsWith('@')) return NICKNAMES.includes(s) ? undefined : `"${shown(s)}" is not one of ${NICKNAMES.join(', ')}`;
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return `has ${fields.length} field(s); a cron schedule has 5: minute hour day-of-month month day-of-week (e.g. "* * * * *", every minute)`;
  for (const [i, f] of fields.entries()) {
    const problem = checkField(f, RULES[i]!);
    if (problem) return problem;
  }
  return undefined;
}
