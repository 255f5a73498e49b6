export { Tiktoken } from "js-tiktoken/lite";
export { default as o200kRanks } from "js-tiktoken/ranks/o200k_base";
