export { default } from "pptxgenjs";
