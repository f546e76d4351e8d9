import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/open-store.js';

export interface TempDir {
  path: string;
  /** A path inside the folder. */
  file(name: string): string;
  remove(): void;
}

/** A fresh folder under the OS temp dir, removed by `remove()`. */
export function tempDir(prefix = 'papermail-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, file: (name) => join(path, name), remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A real SQLite file in a temp dir, migrated; `cleanup()` closes and deletes it. */
export function tempStore(): Store & { dir: TempDir; cleanup(): void } {
  const dir = tempDir();
  const store = openStore(dir.file('papermail.db'));
  return Object.assign(store, {
    dir,
    cleanup() {
      store.close();
      dir.remove();
    },
  });
}
