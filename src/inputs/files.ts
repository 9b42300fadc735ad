import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve, sep } from "node:path";

/** Plans, templates, worlds and reports are small; anything bigger is not one (and Step Functions takes 256 KB). */
export const MAX_INPUT_BYTES = 1024 * 1024;
/** Real plans nest about eight levels; this leaves room, and stops a hostile file long before the stack does. */
export const MAX_JSON_DEPTH = 64;

/**
 * Reads a file the user named as input: a regular file (not a device, FIFO or directory, which could block or
 * never end) of at most MAX_INPUT_BYTES, as UTF-8 without a byte-order mark. Returns the text, or why not.
 */
export function readInputText(file: string, maxBytes = MAX_INPUT_BYTES): { text: string } | { problem: string } {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return { problem: `not a regular file${stat.isDirectory() ? " (a directory)" : ""}` };
    size = stat.size;
  } catch (error) {
    return { problem: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  if (size > maxBytes)
    return { problem: `${size} bytes; this file may hold at most ${maxBytes} bytes (${maxBytes / 1024 / 1024} MiB)` };
  try {
    const text = readFileSync(file, "utf8");
    return { text: text.startsWith("\uFEFF") ? text.slice(1) : text };
  } catch (error) {
    return { problem: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
}

/** Where JSON text nests deeper than `max` arrays and objects, as a line and column; undefined when it does not. */
export function tooDeep(text: string, max = MAX_JSON_DEPTH): { line: number; column: number } | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") {
      if (++depth > max) {
        const before = text.slice(0, i).split("\n");
        return { line: before.length, column: before[before.length - 1]!.length + 1 };
      }
    } else if (c === "]" || c === "}") depth--;
  }
  return undefined;
}

const SPECIAL = /^\/(dev|proc|sys)(\/|$)/;
/** Linux's limits: a name of at most 255 bytes, a path of at most 4,096 (less room for a temporary file's suffix). */
const MAX_NAME_BYTES = 255 - 32;
const MAX_PATH_BYTES = 4096 - 64;

/**
 * Why a path the user named for output cannot be used, or undefined when it can: checked before anything runs, so
 * a rehearsal never runs only to fail at writing. Names too long, symbolic-link loops, and links into device or
 * kernel folders are refused as the path itself is.
 */
export function unusableOutputPath(option: string, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  if (path.trim() === "") return `${option}: an empty path; name a file or folder`;
  const absolute = resolve(path);
  if (Buffer.byteLength(absolute) > MAX_PATH_BYTES)
    return `${option} ${path}: a path of ${Buffer.byteLength(absolute)} bytes; at most ${MAX_PATH_BYTES}`;
  const long = absolute.split(sep).find((name) => Buffer.byteLength(name) > MAX_NAME_BYTES);
  if (long) return `${option} ${path}: a name of ${Buffer.byteLength(long)} bytes; at most ${MAX_NAME_BYTES}`;
  if (SPECIAL.test(absolute)) return `${option} ${path}: a device or kernel path, not a place for files`;
  // The part that exists, with its links followed: where the files would really go.
  let existing = absolute;
  while (!pathEntryExists(existing)) existing = dirname(existing);
  let real: string;
  try {
    real = realpathSync(existing);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ELOOP"
      ? `${option} ${path}: a loop of symbolic links`
      : `${option} ${path}: ${existing} cannot be resolved (${code ?? (error as Error).message})`;
  }
  if (SPECIAL.test(real)) return `${option} ${path}: leads to ${real}, a device or kernel path, not a place for files`;
  return undefined;
}

/** Whether anything (a file, a folder, a link, even a broken or looping one) is at `path`: lstat follows no link. */
function pathEntryExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The nearest folder that exists at or above `folder` must be one we may write in (`shown` is the user's path). */
function writableAncestor(option: string, shown: string, folder: string): string | undefined {
  let dir = folder;
  while (!existsSync(dir)) dir = dirname(dir);
  if (!statSync(dir).isDirectory()) return `${option} ${shown}: ${dir} is a file, not a folder`;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `${option} ${shown}: ${dir} is not writable`;
  }
  return undefined;
}

/** Checks an output folder (`--out`): absent (it will be made) or a writable folder. */
export function checkOutputFolder(option: string, path: string | undefined): string | undefined {
  const special = unusableOutputPath(option, path);
  if (special || path === undefined) return special;
  const absolute = resolve(path);
  if (existsSync(absolute) && !statSync(absolute).isDirectory()) return `${option} ${path}: a file, not a folder`;
  return writableAncestor(option, path, absolute);
}

/** Checks an output file (`--history`): absent or a regular file, in a folder that is or can be made writable. */
export function checkOutputFile(option: string, path: string | undefined): string | undefined {
  const special = unusableOutputPath(option, path);
  if (special || path === undefined) return special;
  const absolute = resolve(path);
  if (existsSync(absolute) && !statSync(absolute).isFile()) return `${option} ${path}: not a regular file`;
  return writableAncestor(option, path, dirname(absolute));
}

/**
 * Writes a file whole or not at all: to a temporary file beside it, then renamed over it, so a reader (another
 * rehearsal comparing with this report) never sees half of it.
 */
export function writeFileAtomic(path: string, body: string): void {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, body);
  renameSync(temporary, path);
}

/**
 * Removes the temporary files writeFileAtomic left in `folder` when its process was killed between writing and
 * renaming: those of processes that no longer run. A running writer's are left alone.
 */
export function removeAbandonedTemporaryFiles(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(/\.(\d+)\.[a-z0-9]+\.tmp$/.exec(name)?.[1]);
    if (!pid || isRunning(pid)) continue;
    rmSync(join(folder, name), { force: true });
    removed.push(name);
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
