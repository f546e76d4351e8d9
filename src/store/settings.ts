import type { Database } from 'better-sqlite3';

export function createSettingQueries(db: Database) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const insertIfAbsent = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING');

  return {
    getSetting(key: string): string | undefined {
      return get.get(key)?.value;
    },
    /** Stores `value` unless the key is set already; returns the value that is stored (first writer wins). */
    settingOrInsert(key: string, value: string): string {
      insertIfAbsent.run(key, value);
      return get.get(key)!.value;
    },
  };
}

export type SettingQueries = ReturnType<typeof createSettingQueries>;
