export * from "docx";
