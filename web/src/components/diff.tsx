/** A unified diff with added and removed lines marked (by sign and colour, not colour alone). */
export function Diff({ text, label }: { text: string; label?: string }) {
  const lines = text.replace(/\n$/, "").split("\n");
  return (
    <pre className="diff" title={label ?? "diff"}>
      {lines.map((line, i) => {
        const kind = line.startsWith("@@") ? "hunk" : line.startsWith("+") && !line.startsWith("+++") ? "add" : line.startsWith("-") && !line.startsWith("---") ? "del" : "ctx";
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed text
          <span key={i} className={`dl ${kind}`}>
            {line || " "}
            {"\n"}
          </span>
        );
      })}
    </pre>
  );
}

export const looksLikeDiff = (text: string) => /^(@@ |--- |\+\+\+ )/m.test(text);
