import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const REPORT = "month,region,revenue\n2026-07,North,4100\n2026-07,South,3900\n2026-08,North,4520\n2026-08,South,3875\n2026-09,North,5010\n2026-09,South,4480\n";

export default async ({ workspace }) => {
  const reasons = [];
  const saved = path.join(workspace, "downloads", "q3-report.csv");
  if (!existsSync(saved)) reasons.push("downloads/q3-report.csv is missing");
  else if (readFileSync(saved, "utf8") !== REPORT) reasons.push("downloads/q3-report.csv differs from the site's report");
  const total = path.join(workspace, "total.txt");
  if (!existsSync(total)) reasons.push("total.txt is missing");
  else if (readFileSync(total, "utf8").trim().replace(/,/g, "") !== "25885") reasons.push(`total.txt says ${JSON.stringify(readFileSync(total, "utf8").trim())}, expected 25885`);
  return { pass: reasons.length === 0, reasons };
};
