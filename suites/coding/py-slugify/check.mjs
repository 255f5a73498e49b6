import { runHidden } from "../_lib/run-hidden.mjs";

export default ({ workspace }) => runHidden(import.meta.url, workspace, ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_hidden.py"]);
