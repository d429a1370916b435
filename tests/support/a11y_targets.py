"""WCAG 2.2 target size (2.5.8, minimum): on a phone every pointer target is at least 24 x 24 CSS
px, or stands far enough from the others that a 24 px circle around its centre touches none.

Links inside a sentence or a block of text are exempt, as WCAG says: the line height, not the
page, sets their size. An input inside its label (the radio buttons of the note's visibility,
the photo pickers' hidden file inputs) is measured by the label, which a tap on works too."""

TARGETS = """() => {
  const MIN = 24;
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex='-1'])";
  function visible(el) {
    const s = getComputedStyle(el);
    if (s.visibility === "hidden" || s.display === "none") return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && !el.closest("[hidden], [inert]");
  }
  function inText(el) {
    // A link in running text: inline, with words of its block around it.
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    const block = el.parentElement.closest("p, li, dd, td, figcaption, blockquote, span, small, div");
    if (!block) return false;
    const own = (el.innerText || "").trim().length;
    return (block.innerText || "").trim().length > own + 1;
  }
  const targets = [];
  for (const el of document.querySelectorAll(selector)) {
    // A radio button, checkbox or file input inside its label: the label is what one taps.
    const shown = el.matches("input") && el.closest("label") ? el.closest("label") : el;
    if (!visible(shown) || el.disabled) continue;
    if (el.closest(".visually-hidden") || el.matches(".visually-hidden, .skip-link")) continue;
    if (inText(el)) continue;
    const r = shown.getBoundingClientRect();
    targets.push({el: shown, r, name: (el.getAttribute("aria-label") || el.innerText || el.value || el.name || el.tagName).trim().replace(/\\s+/g, " ").slice(0, 40)});
  }
  function distance(x, y, r) {
    const dx = Math.max(r.left - x, 0, x - r.right);
    const dy = Math.max(r.top - y, 0, y - r.bottom);
    return Math.hypot(dx, dy);
  }
  const problems = [];
  const unique = targets.filter((t, i) => targets.findIndex((u) => u.el === t.el) === i);
  for (const t of unique) {
    if (t.r.width >= MIN - 0.5 && t.r.height >= MIN - 0.5) continue;
    // The spacing exception: a 24 px circle on its centre meets no other target (nor the
    // circle of another small one).
    const x = t.r.left + t.r.width / 2, y = t.r.top + t.r.height / 2;
    const crowded = unique.some((u) => {
      if (u === t || u.el.contains(t.el) || t.el.contains(u.el)) return false;
      if (distance(x, y, u.r) < MIN / 2) return true;
      const small = u.r.width < MIN || u.r.height < MIN;
      const ux = u.r.left + u.r.width / 2, uy = u.r.top + u.r.height / 2;
      return small && Math.hypot(x - ux, y - uy) < MIN;
    });
    if (crowded) {
      const cls = typeof t.el.className === "string" ? t.el.className.split(" ")[0] : "";
      problems.push(`<${t.el.tagName.toLowerCase()}${cls ? "." + cls : ""}> "${t.name}" ${Math.round(t.r.width)}x${Math.round(t.r.height)} px`);
    }
  }
  return problems;
}"""


def small_target_problems(page) -> list[str]:
    """Targets under 24 x 24 px that crowd another: "<tag.class> "name" WxH px"."""
    return page.evaluate(TARGETS)
