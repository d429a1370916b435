"""Moving through a page with the keyboard alone, and what a sighted keyboard user must see:
the focused element in view, not covered, with a focus indicator that stands out (WCAG 2.4.7,
2.4.11 and 1.4.11: at least 2 px and 3:1 against what surrounds it), in reading order."""

from dataclasses import dataclass

# What document.activeElement is, where it is (page coordinates, and relative to the day grid
# when inside it), its focus indicator and that indicator's contrast with the surroundings.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  function parse(text) {
    let m = text.match(/rgba?\\(([^)]+)\\)/);
    if (m) {
      const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    m = text.match(/color\\(srgb ([^)]+)\\)/);
    if (m) {
      const p = m[1].split(/[\\s\\/]+/).filter(Boolean).map(Number);
      return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
    }
    return null;
  }
  function behind(node) {
    // The colour painted behind node: its own and its ancestors' backgrounds, blended.
    const layers = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let rgb = [255, 255, 255];
    for (const c of layers.reverse()) rgb = rgb.map((v, i) => v * (1 - c[3]) + c[i] * c[3]);
    return rgb;
  }
  function luminance(rgb) {
    const [r, g, b] = rgb.map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function contrast(a, b) {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  }
  function ring(node) {
    const s = getComputedStyle(node);
    const width = parseFloat(s.outlineWidth) || 0;
    if (s.outlineStyle !== "none" && width >= 2) return {kind: "outline", width, color: s.outlineColor};
    if (s.boxShadow && s.boxShadow !== "none") {
      const color = s.boxShadow.match(/(rgba?\\([^)]+\\)|color\\([^)]+\\))/);
      const sizes = s.boxShadow.replace(/(rgba?\\([^)]+\\)|color\\([^)]+\\))/g, "").trim().split(/\\s+/).map(parseFloat);
      const spread = Math.max(sizes[3] || 0, sizes[2] || 0);
      if (color && spread >= 2) return {kind: "box-shadow", width: spread, color: color[1]};
    }
    return null;
  }
  // The indicator may sit on the element or, for a control inside a styled label, on an
  // ancestor that matches :focus-within.
  // A control hidden under its label (opacity 0, 1 px) shows nothing of its own.
  const box0 = el.getBoundingClientRect();
  const hidden = box0.width < 4 || box0.height < 4 || getComputedStyle(el).opacity === "0";
  let holder = el, found = hidden ? null : ring(el);
  for (let n = el.parentElement, i = 0; !found && n && i < 3; n = n.parentElement, i++) {
    if (n.matches(":focus-within") && (found = ring(n))) holder = n;
  }
  // A ring cut off by an ancestor that clips (overflow: hidden, line clamps) on two or more
  // sides is as good as none; one side is a scroll container's edge, and still shows.
  let clipped = null;
  if (found) {
    const s = getComputedStyle(holder);
    const grow = found.kind === "outline" ? (parseFloat(s.outlineOffset) || 0) + found.width : 0;
    const h = holder.getBoundingClientRect();
    const ring = {left: h.left - grow, top: h.top - grow, right: h.right + grow, bottom: h.bottom + grow};
    for (let n = holder.parentElement; n && n !== document.body && !clipped; n = n.parentElement) {
      const o = getComputedStyle(n);
      if (o.overflowX === "visible" && o.overflowY === "visible") continue;
      const c = n.getBoundingClientRect();
      const sides = [ring.left < c.left - 1, ring.top < c.top - 1, ring.right > c.right + 1, ring.bottom > c.bottom + 1];
      if (sides.filter(Boolean).length >= 2) clipped = n.tagName.toLowerCase() + "." + n.className;
    }
  }
  let ratio = null;
  if (found) {
    const color = parse(found.color);
    const around = behind(holder.parentElement || holder);
    ratio = color ? contrast(color.slice(0, 3), around) : null;
  }
  // What the user sees: the element, or its label when the control itself is hidden.
  const shown = hidden && el.closest("label") ? el.closest("label") : el;
  const r = shown.getBoundingClientRect();
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  const covered = !(hit && (shown.contains(hit) || hit.contains(shown) || hit === shown
    || (el.labels && Array.from(el.labels).some((l) => l.contains(hit)))));
  const grid = el.closest(".tl");
  const g = grid ? grid.getBoundingClientRect() : null;
  return {
    tag: el.tagName.toLowerCase(),
    name: (el.getAttribute("aria-label") || el.innerText || el.value || el.name || "").trim().replace(/\\s+/g, " ").slice(0, 80),
    id: el.id,
    href: el.getAttribute("href"),
    key: el.tagName + "|" + (el.id || "") + "|" + (el.getAttribute("href") || "") + "|" + (el.name || "") + "|" + (el.value || "").slice(0, 20) + "|" + (el.innerText || "").slice(0, 40) + "|" + Math.round(r.left + scrollX) + "," + Math.round(r.top + scrollY),
    ring: found ? found.kind + " " + found.width + "px " + found.color : null,
    ratio: ratio,
    clipped: clipped,
    in_view: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
    covered: covered,
    hit: hit ? hit.tagName.toLowerCase() + "." + hit.className : null,
    box: {left: r.left + scrollX, top: r.top + scrollY, right: r.right + scrollX, bottom: r.bottom + scrollY},
    grid_box: g ? {left: r.left - g.left, top: r.top - g.top, right: r.right - g.left, bottom: r.bottom - g.top} : null,
  };
}"""


@dataclass
class Focus:
    tag: str
    name: str
    id: str
    href: str | None
    key: str
    ring: str | None
    ratio: float | None
    clipped: str | None
    in_view: bool
    covered: bool
    hit: str | None
    box: dict
    grid_box: dict | None

    def __str__(self):
        return f"<{self.tag}> {self.name!r}" + (f" {self.href}" if self.href else "")


def focused(page) -> Focus | None:
    data = page.evaluate(FOCUSED)
    return Focus(**data) if data else None


def visibility_problems(focus: Focus, scheme: str) -> list[str]:
    """Why a sighted keyboard user would not see where the focus is, if they would not."""
    problems = []
    if focus.ring is None:
        problems.append(f"{focus}: no focus indicator ({scheme})")
    elif focus.clipped:
        problems.append(f"{focus}: focus indicator cut off by {focus.clipped}")
    elif focus.ratio is not None and focus.ratio < 3:
        problems.append(f"{focus}: focus indicator {focus.ring} at {focus.ratio:.2f}:1 ({scheme})")
    if not focus.in_view:
        problems.append(f"{focus}: focused out of view")
    elif focus.covered:
        problems.append(f"{focus}: covered by {focus.hit}")
    return problems


def check_in_both_schemes(page, problems: list[str]) -> Focus | None:
    """The focused element, its indicator checked in the light and the dark scheme."""
    focus = None
    for scheme in ("dark", "light"):  # ends in light, the page's usual look
        page.emulate_media(color_scheme=scheme)
        focus = focused(page)
        if focus is not None:
            problems.extend(visibility_problems(focus, scheme))
    return focus


def before(a: dict, b: dict, slack: float = 4) -> bool:
    """Is box b visually before box a in reading order (left to right, top to bottom)?

    b is before a when it is wholly above a in the same column, or on the same line and
    wholly to its left. A move to the next column, up to its top, is not going backwards."""
    same_column = b["left"] < a["right"] and a["left"] < b["right"]
    same_line = b["top"] < a["bottom"] - slack and a["top"] < b["bottom"] - slack
    above = b["bottom"] <= a["top"] + slack
    left = b["right"] <= a["left"] + slack
    return (same_column and above and not same_line) or (same_line and left)


def is_focused(page, selector: str) -> bool:
    return page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector
    )


def press_until(page, selector: str, *, key="Tab", limit=200, problems=None) -> Focus:
    """Press key until the focused element matches selector; each stop checked for visibility."""
    problems = [] if problems is None else problems
    for _ in range(limit):
        page.keyboard.press(key)
        focus = check_in_both_schemes(page, problems)
        if focus is not None and is_focused(page, selector):
            return focus
    raise AssertionError(f"{key} {limit} times never reached {selector}; on the way: {problems}")


# Focus the body itself for a moment: the next Tab starts from the top of the page, wherever an
# autofocus or an earlier step left the focus.
START_AT_THE_TOP = """() => {
  window.scrollTo(0, 0);
  document.body.tabIndex = -1;
  document.body.focus({preventScroll: true});
  document.body.removeAttribute("tabindex");
}"""


def tab_cycle(page, *, limit=400) -> tuple[list[Focus], list[str]]:
    """Tab from the top of the page until focus comes round again: every stop once.

    Returns the stops and the problems seen: an indicator missing or too faint, a stop out of
    view or covered, a step back against the reading order, a keyboard trap (no way round)."""
    page.evaluate(START_AT_THE_TOP)
    problems: list[str] = []
    stops: list[Focus] = []
    seen = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = check_in_both_schemes(page, problems)
        if focus is None:  # past the last stop: the browser's own UI, then round again
            if stops:
                break
            continue
        if focus.key in seen:
            break
        seen.add(focus.key)
        if stops and backwards(stops[-1], focus) and not skip_link(stops[-1]):
            problems.append(f"{focus} comes after {stops[-1]} but is before it on screen")
        stops.append(focus)
    else:
        problems.append(f"keyboard trap: {limit} Tabs never came round (last: {stops[-1]})")
    return stops, problems


def backwards(previous: Focus, focus: Focus) -> bool:
    # Inside the day grid (which scrolls on its own) compare places in the grid.
    if previous.grid_box and focus.grid_box:
        return before(previous.grid_box, focus.grid_box)
    return before(previous.box, focus.box)


def skip_link(focus: Focus) -> bool:
    # "Skip to content" shows over the header when focused: the next stop is the header's.
    return focus.href == "#main"
