import { runHidden, typescriptPath } from "../_lib/run-hidden.mjs";

export default ({ workspace }) =>
  runHidden(import.meta.url, workspace, [process.execPath, new URL("../_lib/ts-test.mjs", import.meta.url).pathname], { env: { COLLEAGUE_TS: typescriptPath() } });
