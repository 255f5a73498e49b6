/** CLI tests run the shipped entry point (bin → dist), so build it once first. */
export default function setup(): void;
