import { readUserConfig, storePath } from "../config/config.js";

/**
 * Where sessions live: the location given (`--store`), else $COLLEAGUE_STORE, else `store` in
 * the user's config (~/.colleague/config.json; a project's config cannot send the transcripts
 * elsewhere), else the SQLite file in the colleague home — the default, with nothing to start.
 */
export function storeLocation(env: NodeJS.ProcessEnv = process.env, given?: string): string {
  return given || env.COLLEAGUE_STORE || readUserConfig(env).store || storePath(env);
}
