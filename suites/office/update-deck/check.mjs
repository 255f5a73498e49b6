import { deliverable, readDeckFile, same, verdict } from "../_check.mjs";

export default async ({ workspace }) => {
  const reasons = [];
  const file = deliverable(workspace, "pitch.pptx", reasons);
  if (!file) return verdict(reasons);
  const { slides } = await readDeckFile(file);
  same(reasons, "slide titles", slides.map((s) => s.title), ["Acme Cloud", "Problem", "Pricing", "Traction", "Roadmap", "Thank you"]);
  const everything = slides.map((s) => [...s.text, ...s.tables.flat(2), s.notes].join(" ")).join(" ");
  if (everything.includes("$49")) reasons.push("the old price $49 is still in the deck");
  const pricing = slides.find((s) => s.title === "Pricing");
  if (pricing && !pricing.text.some((t) => t.includes("$59"))) reasons.push("the Pricing slide does not show $59");
  if (pricing && !pricing.notes.includes("$59")) reasons.push("the Pricing slide's notes do not say $59");
  const roadmap = slides.find((s) => s.title === "Roadmap");
  same(reasons, "Roadmap bullets", roadmap?.text, ["Q3: self-serve onboarding", "Q4: SSO and audit logs", "Q1: EU data residency"]);
  const notes = Object.fromEntries(slides.map((s) => [s.title, s.notes]));
  same(reasons, "notes of slide Acme Cloud", notes["Acme Cloud"], "Thank everyone for coming.");
  same(reasons, "notes of slide Problem", notes.Problem, "Anchor on the pain.");
  same(reasons, "notes of slide Traction", notes.Traction, "Growth of 54% quarter on quarter.");
  same(reasons, "Traction table", slides.find((s) => s.title === "Traction")?.tables[0], [["Quarter", "Customers"], ["Q1", "120"], ["Q2", "185"]]);
  return verdict(reasons);
};
