import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './open-store.js';
import { StoreError } from './errors.js';
import { tempDir, type TempDir } from '../../test/support/temp-store.js';
import { MIGRATIONS } from './migrations/index.js';

describe('openStore', () => {
  let dir: TempDir;
  afterEach(() => dir?.remove());

  it('creates the file and its folder, in WAL mode, with every migration applied', () => {
    dir = tempDir();
    const store = openStore(dir.file('nested/papermail.db'));
    store.close();
    const db = new Database(dir.file('nested/papermail.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
  });

  it('opens an existing database again without re-running migrations', () => {
    dir = tempDir();
    const first = openStore(dir.file('p.db'));
    first.settingOrInsert('k', 'v');
    first.close();
    const second = openStore(dir.file('p.db'));
    expect(second.getSetting('k')).toBe('v');
    second.close();
  });

  it('refuses a file that is not a database with a clear, actionable error', () => {
    dir = tempDir();
    writeFileSync(dir.file('junk.db'), 'this is not sqlite at all, just some text that fills the header '.repeat(20));
    expect(() => openStore(dir.file('junk.db'))).toThrowError(StoreError);
    expect(() => openStore(dir.file('junk.db'))).toThrowError(/not a papermail database or is damaged/);
  });

  it('refuses a database written by a newer papermail', () => {
    dir = tempDir();
    const db = new Database(dir.file('new.db'));
    db.pragma('user_version = 999');
    db.close();
    expect(() => openStore(dir.file('new.db'))).toThrowError(/newer than this papermail knows/);
  });
});
