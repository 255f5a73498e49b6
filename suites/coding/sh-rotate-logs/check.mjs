import { runHidden } from "../_lib/run-hidden.mjs";

export default ({ workspace }) => runHidden(import.meta.url, workspace, ["bash", "test_hidden.sh"]);
