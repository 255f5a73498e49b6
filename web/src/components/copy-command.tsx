import { useState } from "react";

/** A command to paste into a terminal, with a copy button. */
export function CopyCommand({ command, label }: { command: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="copy">
      <span className="muted small">{label}</span>
      <div className="copy-row">
        <code>{command}</code>
        <button
          type="button"
          className="ghost tiny"
          aria-label={`copy ${command}`}
          onClick={() => {
            void navigator.clipboard?.writeText(command).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            });
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}
