export function requeue(job) {
  return job.tries >= 3 ? "dead" : "again";
}
