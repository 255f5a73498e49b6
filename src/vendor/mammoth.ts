export { default } from "mammoth";
