// For each element of a zarrnb repr with its own visible text: the WCAG contrast ratio of its
// colour over the backgrounds behind it (alpha-composited from the page down), and whether it
// is secondary text (muted notes, labels, captions).
() => {
  const parse = c => {
    const m = c.match(/[\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3]));
  const luminance = rgb => {
    const l = rgb.map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  };
  const secondary = '.zarrnb-muted, .zarrnb-kind, .zarrnb-caption, .zarrnb-leading, .zarrnb-more, th';
  const out = [];
  for (const el of document.querySelectorAll('.zarrnb-repr *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    const chain = [];
    for (let e = el; e; e = e.parentElement) chain.unshift(e);
    let background = [255, 255, 255];
    for (const e of chain) background = over(parse(getComputedStyle(e).backgroundColor), background);
    const foreground = over(parse(getComputedStyle(el).color), background);
    const [light, dark] = [luminance(foreground), luminance(background)].sort((x, y) => y - x);
    out.push({
      text: el.textContent.trim().slice(0, 40),
      ratio: (light + 0.05) / (dark + 0.05),
      muted: !!el.closest(secondary),
    });
  }
  return out;
}
