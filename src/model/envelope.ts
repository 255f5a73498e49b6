/**
 * How a message from another agent (a teammate, the board) reads in the recipient's conversation:
 * its id and sender around the text. The envelope is colleague's framing, not the sender's words,
 * so the monitors read what is inside it.
 */
export interface Enveloped {
  id: string;
  from: string;
  broadcast?: boolean;
  text: string;
}

export function envelope(message: Enveloped): string {
  return `<message id="${message.id}" from="${message.from}"${message.broadcast ? ' to="everyone"' : ""}>\n${message.text}\n</message>`;
}

const ENVELOPE = /^<message id="[^"\n]*" from="[^"\n]*"(?: to="everyone")?>\n([\s\S]*)\n<\/message>$/;

/** The sender's text of an enveloped message; any other text as it is. */
export function envelopeBody(text: string): string {
  return ENVELOPE.exec(text)?.[1] ?? text;
}
