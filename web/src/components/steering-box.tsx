import { useState } from "react";
import { client, problem } from "../api.js";
import { useModels } from "../state/use-models.js";

const EFFORTS = ["low", "medium", "high", "max", "auto"] as const;

/**
 * Talk to a session: steer (joins the running turn), queue (after it), interrupt, and the
 * effort and model for the next step. A stopped session continues with the message (and the
 * model chosen here).
 */
export function SteeringBox({ sessionId, running, effort, model, agents }: { sessionId: string; running: boolean; effort?: string; model?: string; agents?: string[] }) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ tone: "ok" | "bad"; text: string }>();
  const [target, setTarget] = useState("lead");
  const [nextModel, setNextModel] = useState("");
  const models = useModels();
  const switchModel = async () => {
    const id = nextModel.trim();
    if (!id || id === model) return;
    const ok = await act(() => client.setModel(sessionId, id), running ? `Model: ${id} from the next step` : `Model: ${id} from the next message`);
    if (ok) setNextModel("");
  };
  const act = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setNote(undefined);
    try {
      await what();
      setNote({ tone: "ok", text: done });
      return true;
    } catch (e) {
      setNote({ tone: "bad", text: problem(e) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  const send = async (mode: "steer" | "queue") => {
    const message = text.trim();
    if (!message) return;
    const ok = agents?.length
      ? await act(() => client.messageAgent(sessionId, target, message), `Sent to ${target}`)
      : await act(() => client.send(sessionId, { text: message, mode }), running ? (mode === "steer" ? "Steered" : "Queued") : "Continuing");
    if (ok) setText("");
  };
  return (
    <form
      className="steer"
      aria-label="steer the session"
      onSubmit={(e) => {
        e.preventDefault();
        void send("steer");
      }}
    >
      {agents?.length ? (
        <div className="row">
          <label htmlFor="steer-target">To</label>
          <select id="steer-target" value={target} onChange={(e) => setTarget(e.target.value)}>
            {agents.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <label htmlFor="steer-text" className="sr-only">
        Message
      </label>
      <textarea
        id="steer-text"
        value={text}
        rows={2}
        placeholder={running ? "Steer the agent… (Enter sends, Shift+Enter for a new line)" : "Continue the session with a message…"}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey) {
            e.preventDefault();
            void send("steer");
          }
        }}
      />
      <div className="row actions">
        <button type="submit" className="primary" disabled={busy || !text.trim()}>
          {agents?.length ? "Send" : running ? "Steer" : "Continue"}
        </button>
        {agents?.length ? null : (
          <button type="button" disabled={busy || !text.trim() || !running} onClick={() => void send("queue")}>
            Queue
          </button>
        )}
        <button type="button" className="danger-outline" disabled={busy || !running} onClick={() => void act(() => client.interrupt(sessionId), "Interrupt sent")}>
          Interrupt
        </button>
        {agents?.length ? null : (
          <label className="inline">
            Effort
            <select value={effort ?? "auto"} disabled={!running} onChange={(e) => void act(() => client.setEffort(sessionId, e.target.value as (typeof EFFORTS)[number]), `Effort: ${e.target.value}`)}>
              {EFFORTS.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </select>
          </label>
        )}
        {agents?.length ? null : (
          <span className="inline model-switch">
            <label htmlFor="steer-model">Model</label>
            <input
              id="steer-model"
              list="steer-models"
              value={nextModel}
              placeholder={model || "provider:model"}
              spellCheck={false}
              onChange={(e) => setNextModel(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  void switchModel();
                }
              }}
            />
            <datalist id="steer-models">
              {models.map((m) => (
                <option key={m.id} value={m.id} />
              ))}
            </datalist>
            <button type="button" disabled={busy || !nextModel.trim() || nextModel.trim() === model} onClick={() => void switchModel()}>
              Switch
            </button>
          </span>
        )}
        {note ? (
          <span className={`note ${note.tone}`} role="status">
            {note.text}
          </span>
        ) : null}
      </div>
    </form>
  );
}
