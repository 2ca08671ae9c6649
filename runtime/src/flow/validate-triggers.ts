import picomatch from 'picomatch';
import { findScheduleProblems } from '../triggers/schedule.js';
import type { Flow } from './flow-schema.js';
import type { FlowProblem } from './flow-problem.js';
import { DEFAULT_FILE_VARIABLE, type FolderTrigger, type Trigger } from './trigger-schema.js';

/** Names a trigger in a problem: `trigger 2 (schedule)`. */
export function describeTrigger(trigger: Trigger, index: number): string {
  return `trigger ${index + 1} (${trigger.type})`;
}

/**
 * Checks a flow's triggers: cron expressions and time zones, folder paths and patterns, the
 * variable a folder trigger fills, and duplicates. Returns every problem, each naming its trigger.
 */
export function validateTriggers(flow: Flow): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const seen = new Set<string>();
  (flow.triggers ?? []).forEach((trigger, index) => {
    const field = describeTrigger(trigger, index);
    const key = JSON.stringify(trigger);
    if (seen.has(key))
      problems.push({
        field,
        code: 'TRIGGER_DUPLICATE',
        message: 'the same trigger appears twice',
      });
    seen.add(key);
    if (trigger.type === 'schedule') {
      for (const message of findScheduleProblems(trigger)) problems.push({ field, message });
    }
    if (trigger.type === 'folder') {
      problems.push(...checkFolderTrigger(flow, trigger, field));
    }
  });
  return problems;
}

function checkFolderTrigger(flow: Flow, trigger: FolderTrigger, field: string): FlowProblem[] {
  const problems: FlowProblem[] = [];
  if (trigger.pattern.includes('/')) {
    problems.push({
      field,
      code: 'TRIGGER_PATTERN_HAS_FOLDER',
      params: { pattern: trigger.pattern },
      message: `the pattern "${trigger.pattern}" contains "/"; it matches file names only`,
    });
  }
  try {
    picomatch.makeRe(trigger.pattern);
  } catch (error) {
    problems.push({
      field,
      code: 'TRIGGER_PATTERN_INVALID',
      params: { pattern: trigger.pattern },
      message: `invalid pattern "${trigger.pattern}": ${(error as Error).message}`,
    });
  }
  if (trigger.archivePath !== undefined && samePath(trigger.archivePath, trigger.path)) {
    problems.push({
      field,
      code: 'TRIGGER_ARCHIVE_IS_WATCHED',
      message: 'the archive folder is the watched folder; name another folder',
    });
  }
  const variable = trigger.fileVariable;
  if (variable !== undefined && !(variable in flow.variables)) {
    problems.push({
      field,
      code: 'VARIABLE_UNDECLARED',
      params: { variable },
      message: `fileVariable names the undeclared variable ${variable}; declare it in the flow's variables`,
    });
  }
  return problems;
}

function samePath(a: string, b: string): boolean {
  const normalise = (path: string) => path.replace(/\\/g, '/').replace(/\/+$/, '') || '/';
  return normalise(a) === normalise(b);
}

/** Returns the variable a folder trigger fills with the file's path, if the flow declares one. */
export function fileVariableOf(flow: Flow, trigger: FolderTrigger): string | undefined {
  if (trigger.fileVariable !== undefined) return trigger.fileVariable;
  return DEFAULT_FILE_VARIABLE in flow.variables ? DEFAULT_FILE_VARIABLE : undefined;
}
