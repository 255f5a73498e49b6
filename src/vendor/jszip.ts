export { default } from "jszip";
