"""Reading what a response promises the browser: its CSP, and markup that CSP would block."""

import re

import lxml.html

# Script types a browser runs; anything else in a <script> (JSON from json_script) is data.
SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}
# Sources a policy may name without trusting another site.
OWN_SOURCES = {"'self'", "'none'", "data:", "blob:"}


def csp_directives(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def csp_nonce(response) -> str:
    """The nonce the policy allows for scripts (the same one is used for styles)."""
    for source in csp_directives(response).get("script-src", []):
        if match := re.fullmatch(r"'nonce-([^']+)'", source):
            return match[1]
    return ""


def foreign_sources(directives: dict[str, list[str]]) -> list[str]:
    """Every source that is neither our own origin, a nonce nor a keyword like 'none'."""
    return [
        f"{name} {source}"
        for name, sources in directives.items()
        for source in sources
        if source not in OWN_SOURCES and not source.startswith("'nonce-")
    ]


def csp_breakage(html: str, nonce: str) -> list[str]:
    """Markup the policy would block: inline code without the nonce, style="", on…="" handlers.

    Each problem is one line naming the element, so a failure says where to look.
    """
    tree = lxml.html.fromstring(html)
    problems = []
    for script in tree.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        if kind not in SCRIPT_TYPES:
            continue
        if script.get("src") is None and script.get("nonce") != nonce:
            problems.append(f"inline <script> without the nonce: {snippet(script)}")
    for style in tree.iter("style"):
        if style.get("nonce") != nonce:
            problems.append(f"<style> without the nonce: {snippet(style)}")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        for name, value in element.attrib.items():
            if name == "style":
                problems.append(f'style="{value}" on <{element.tag}>: {snippet(element)}')
            elif name.startswith("on"):
                problems.append(f"{name}= handler on <{element.tag}>: {snippet(element)}")
            elif name in (
                "href",
                "src",
                "action",
                "formaction",
            ) and value.strip().lower().startswith("javascript:"):
                problems.append(f"javascript: URL in {name} on <{element.tag}>")
    return problems


def snippet(element) -> str:
    return lxml.html.tostring(element, encoding="unicode")[:160]
