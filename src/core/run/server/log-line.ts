// The two shapes of a Carbon 4.4 log line (repository/conf/log4j.properties, the same in every 2.x release):
//   file (wso2carbon.log):  TID: [-1234] [] [2017-04-30 21:25:49,283]  INFO {org.wso2…Component} -  WSO2 Carbon started in 124 sec {org.wso2…Component}
//   console:                [2019-08-12 14:40:17,102]  INFO - StartupFinalizerServiceComponent WSO2 Carbon started in 57 sec
// A line in neither shape continues the entry above it (a stack trace, a multi-line message).

import { safeMessage } from '../../messages/shown.js';

export const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type Level = (typeof LEVELS)[number];

export interface Header {
  /** As written: 2017-04-30 21:25:49,283 */
  time: string;
  level: Level;
  logger: string;
  message: string;
}

const TIME = '(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3})';
const LEVEL = '(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)';
// TID: [tenant id] [tenant domain] [time] %P%5p {category} - %x %m {category}
const FILE_SHAPE = new RegExp(`^TID:\\s*\\[[^\\]]*\\]\\s*\\[[^\\]]*\\]\\s*\\[${TIME}\\]\\s*(?:\\S+\\s+)??${LEVEL}\\s+\\{([^}]*)\\}\\s+-(.*)$`);
// [time] %5p - %c{1} %m
const CONSOLE_SHAPE = new RegExp(`^\\[${TIME}\\]\\s+${LEVEL}\\s+-\\s+(\\S+)\\s?(.*)$`);

export function parseHeader(line: string): Header | undefined {
  const f = FILE_SHAPE.exec(line);
  if (f) {
    const logger = f[3]!;
    let message = f[4]!.trim();
    // The category is repeated at the end of the message.
    const tail = ` {${logger}}`;
    if (message.endsWith(tail)) message = message.slice(0, -tail.length).trimEnd();
    else if (message === `{${logger}}`) message = '';
    return { time: f[1]!, level: f[2] as Level, logger, message };
  }
  const c = CONSOLE_SHAPE.exec(line);
  if (c) return { time: c[1]!, level: c[2] as Level, logger: c[3]!, message: c[4]!.trim() };
  return undefined;
}

/**
 * A log line as a terminal may show it: the log is written by the service user, so an ESC
 * sequence in it must not reach root's terminal (escaped as \x1b); a tab, which a terminal
 * widens to the next stop while a layout counts it as nothing, becomes four spaces.
 */
export function displayText(text: string): string {
  return safeMessage(text.replace(/\t/g, '    '));
}
