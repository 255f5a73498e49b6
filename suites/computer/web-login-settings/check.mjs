/** Settings are saved only by a signed-in user (the site refuses otherwise). */
export default async ({ site }) => {
  const settings = site?.state.settings;
  if (!settings) return { pass: false, reasons: ["the settings were never saved"] };
  const reasons = [];
  if (settings.display_name !== "Ada L.") reasons.push(`display name is ${JSON.stringify(settings.display_name)}, expected "Ada L."`);
  if (settings.timezone !== "Europe/London") reasons.push(`time zone is ${JSON.stringify(settings.timezone)}, expected "Europe/London"`);
  return { pass: reasons.length === 0, reasons };
};
