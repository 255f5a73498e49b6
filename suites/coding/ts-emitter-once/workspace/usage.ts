import { Emitter } from "./emitter.ts";

export const bus = new Emitter<{ saved: { id: number }; closed: undefined }>();
