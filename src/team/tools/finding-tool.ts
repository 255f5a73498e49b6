import { Finding } from "../../agent/team-events.js";
import { defineTool } from "../../tools/define.js";
import type { TeamToolHost } from "./host.js";
import reportFindingText from "./report-finding.md";

export function reportFindingTool(host: TeamToolHost) {
  return defineTool({
    name: "report_finding",
    description: reportFindingText.trim(),
    parameters: Finding,
    readOnly: false,
    coordination: true,
    async execute(args) {
      return { content: await host.reportFinding(args) };
    },
  });
}
