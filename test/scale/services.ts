import { randomBytes } from "node:crypto";
import { SyncPostgres } from "../../src/store/postgres/sync-client.js";

/** Set by `eval "$(scripts/services.sh up)"` (and by .ci/run): the services the scale-out tests use for real. */
export const postgresUrl = process.env.COLLEAGUE_TEST_POSTGRES_URL;
export const redisUrl = process.env.COLLEAGUE_TEST_REDIS_URL;

const hint = 'start them with eval "$(scripts/services.sh up)"';
export const postgresMissing = postgresUrl ? undefined : `COLLEAGUE_TEST_POSTGRES_URL is not set; ${hint}`;
export const redisMissing = redisUrl ? undefined : `COLLEAGUE_TEST_REDIS_URL is not set; ${hint}`;
export const servicesMissing = postgresMissing ?? redisMissing;

/**
 * The test database URL with a schema of its own as the search path, so each test's store
 * starts empty and tests running in parallel never see each other's sessions.
 */
export function freshPostgresUrl(): string {
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new SyncPostgres(postgresUrl!);
  admin.query(`CREATE SCHEMA ${schema}`);
  admin.close();
  const url = new URL(postgresUrl!);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

/** A queue name of its own per test, so parallel test files never take each other's jobs. */
export const freshQueueName = () => `colleague-test-${randomBytes(4).toString("hex")}`;
