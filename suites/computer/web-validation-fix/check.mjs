export default async ({ site }) => {
  const accepted = site?.state.accepted;
  if (!accepted) return { pass: false, reasons: ["no application was accepted"] };
  const want = { name: "Alan Turing", phone: "5550101912", born: "1912-06-23" };
  const reasons = Object.entries(want).filter(([k, v]) => accepted[k] !== v).map(([k, v]) => `${k} is ${JSON.stringify(accepted[k])}, expected ${JSON.stringify(v)}`);
  return { pass: reasons.length === 0, reasons };
};
