import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { ImagePart, Message, UserPart } from "../model/types.js";

/**
 * Images attached to a message (`--image`, `@file` in the terminal UI) are stored in the log as
 * a marker holding the path, not as megabytes of base64; each request to a model that takes
 * images carries them as image parts, read once per process so every request sends the same
 * bytes (and the provider's prompt cache keeps hitting).
 */

const IMAGE_TYPES: Record<string, string> = { ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp" };

/** The largest image sent (the strictest provider's limit, Anthropic's 5 MB). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export const IMAGE_MARKER = /<image path="([^"]+)" \/>/g;

export const imageType = (file: string): string | undefined => IMAGE_TYPES[path.extname(file).toLowerCase()];

export const imageMarker = (file: string): string => `<image path="${file}" />`;

/** Why an image cannot be attached, or undefined when it can. */
export function imageProblem(full: string): string | undefined {
  if (!imageType(full)) return `${full} is not a png, jpg, webp or gif image`;
  let size: number;
  try {
    const stat = statSync(full);
    if (!stat.isFile()) return `${full} is not a file`;
    size = stat.size;
  } catch {
    return `no image at ${full}`;
  }
  if (size > MAX_IMAGE_BYTES) return `${full} is ${(size / 1024 / 1024).toFixed(1)} MB; images must be at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB`;
  return undefined;
}

/** Image parts read once per process, by absolute path. */
export class ImageCache {
  private readonly parts = new Map<string, ImagePart | undefined>();
  constructor(private readonly cwd: string) {}

  get(file: string): ImagePart | undefined {
    const full = path.resolve(this.cwd, file);
    if (!this.parts.has(full)) {
      let part: ImagePart | undefined;
      try {
        const mediaType = imageType(full);
        if (mediaType && !imageProblem(full)) part = { type: "image", mediaType, data: readFileSync(full).toString("base64") };
      } catch {
        part = undefined;
      }
      this.parts.set(full, part);
    }
    return this.parts.get(full);
  }
}

/**
 * A user message's markers followed by their image parts. A message that already holds image
 * parts is left alone, so expanding twice (a face's own model wrapper, then the session's) adds nothing.
 */
export function withImageParts(message: Message, image: (file: string) => ImagePart | undefined): Message {
  if (message.role !== "user" || message.content.some((p) => p.type === "image")) return message;
  const content: UserPart[] = [];
  for (const part of message.content) {
    content.push(part);
    if (part.type !== "text") continue;
    for (const match of part.text.matchAll(IMAGE_MARKER)) {
      const found = image(match[1]!);
      content.push(found ?? { type: "text", text: `(the image ${match[1]} is no longer on disk)` });
    }
  }
  return content.length === message.content.length ? message : { ...message, content };
}
