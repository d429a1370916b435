"""axe-core (shipped inside axe-playwright-python, nothing fetched) run in a Playwright page,
and the page-structure checks a screen reader relies on, each problem as one readable line."""

from axe_playwright_python.base import AXE_SCRIPT

SERIOUS = ("serious", "critical")

# Landmarks every page of base.html has: the site header (banner), its navigation, the main
# content and the footer (contentinfo).
LANDMARKS = ("header.site-header", "nav.site-nav", "main#main", "footer.site-footer")


def axe_problems(page) -> list[str]:
    """Serious and critical axe violations: "rule-id (impact): target — what is wrong"."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {' '.join(node['target'][0:1])}"
        f" — {node.get('failureSummary', '').splitlines()[-1].strip()}"
        for violation in results["violations"]
        if violation["impact"] in SERIOUS
        for node in violation["nodes"][:3]
    ]


def structure_problems(page) -> list[str]:
    """One h1, the four landmarks once each, and the html element's lang."""
    problems = []
    headings = page.locator("h1").count()
    if headings != 1:
        problems.append(f"{headings} h1 elements")
    for selector in LANDMARKS:
        if page.locator(selector).count() != 1:
            problems.append(f"no single {selector}")
    return problems
