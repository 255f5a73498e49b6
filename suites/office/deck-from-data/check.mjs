import { deliverable, readDeckFile, same, verdict } from "../_check.mjs";

const REGIONS = [
  ["North", "412", "12%"],
  ["South", "289", "18%"],
  ["East", "356", "7%"],
  ["West", "198", "-3%"],
  ["Central", "244", "9%"],
  ["Nordics", "131", "22%"],
  ["Iberia", "102", "15%"],
  ["Benelux", "167", "5%"],
];

export default async ({ workspace }) => {
  const reasons = [];
  const file = deliverable(workspace, "quarterly-review.pptx", reasons);
  if (!file) return verdict(reasons);
  const { slides } = await readDeckFile(file);
  if (slides.length !== 10) reasons.push(`the deck has ${slides.length} slides; 10 were asked for`);
  for (const s of slides) if (!s.notes.trim()) reasons.push(`slide ${s.number} has no speaker notes`);
  if (!/quarterly review/i.test(slides[0]?.title ?? "")) reasons.push(`slide 1's title "${slides[0]?.title ?? ""}" is not the Quarterly Review title`);
  same(reasons, "titles of slides 2–9", slides.slice(1, 9).map((s) => s.title), REGIONS.map(([r]) => r));
  REGIONS.forEach(([region, revenue, growth], i) => {
    const slide = slides[i + 1];
    if (!slide) return;
    const text = [...slide.text, ...slide.tables.flat(2), slide.notes].join(" ").replace(/,/g, "");
    if (!text.includes(revenue)) reasons.push(`slide ${i + 2} (${region}) does not state its revenue (${revenue}…)`);
    if (!text.includes(growth)) reasons.push(`slide ${i + 2} (${region}) does not state its growth (${growth})`);
  });
  const last = slides[9];
  if (last && !last.charts.length) reasons.push("slide 10 has no chart of revenue by region");
  return verdict(reasons);
};
