export { default } from "exceljs";
