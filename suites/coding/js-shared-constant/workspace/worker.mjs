export const workerRetries = () => 3;
