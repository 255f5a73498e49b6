import { runHidden } from "../_lib/run-hidden.mjs";

export default ({ workspace }) => runHidden(import.meta.url, workspace, [process.execPath, "--test", "hidden.test.mjs"]);
