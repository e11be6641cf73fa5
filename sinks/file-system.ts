import { createReadStream, createWriteStream } from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';

/** The part of an open file a sink uses; Node's `FileHandle` satisfies it. */
export interface FileHandleLike {
  write(buffer: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  stat(): Promise<FileStats>;
  close(): Promise<void>;
}

export interface FileStats {
  ino: number;
  dev: number;
  nlink: number;
  size: number;
  mtimeMs: number;
}

/**
 * The file-system calls a sink makes, as a constructor seam: tests pass a wrapper that injects
 * `ENOSPC`, `EACCES` or `EIO` instead of stubbing modules.
 */
export interface FileSystem {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  open(path: string, flags: string): Promise<FileHandleLike>;
  stat(path: string): Promise<FileStats>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  createReadStream(path: string): Readable;
  /** Must fail rather than overwrite (`flags: 'wx'`). */
  createWriteStream(path: string, options: { flags: 'wx' }): Writable;
}

/** The real file system. */
export const nodeFileSystem: FileSystem = {
  mkdir: (path, options) => fsp.mkdir(path, options),
  open: (path, flags) => fsp.open(path, flags),
  stat: (path) => fsp.stat(path),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  readdir: (path) => fsp.readdir(path),
  createReadStream: (path) => createReadStream(path),
  createWriteStream: (path, options) => createWriteStream(path, options),
};
