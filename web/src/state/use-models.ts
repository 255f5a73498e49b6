import { useEffect, useState } from "react";
import type { ModelChoice } from "../../../src/protocol/schemas.js";
import { client } from "../api.js";

let cached: Promise<ModelChoice[]> | undefined;

/** The models the server can run (catalog and config), fetched once per page; empty until they arrive or if the request fails. */
export function useModels(): ModelChoice[] {
  const [models, setModels] = useState<ModelChoice[]>([]);
  useEffect(() => {
    let live = true;
    cached ??= client.models().catch(() => {
      cached = undefined; // a failed fetch is tried again by the next view that asks
      return [];
    });
    void cached.then((list) => {
      if (live) setModels(list);
    });
    return () => {
      live = false;
    };
  }, []);
  return models;
}
