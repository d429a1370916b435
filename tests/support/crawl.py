"""A breadth-first crawler over the test client: every same-site address a page names, fetched
with GET only (so crawling changes nothing), and the text of everything fetched kept for
scanning — zip files unpacked, iCalendar lines unfolded, response headers included.
"""

import io
import re
import zipfile
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html

HOST = "testserver"
# Absolute addresses of this site wherever they stand: XML, JSON, iCalendar, Markdown.
ABSOLUTE = re.compile(r"https?://" + HOST + r"(/[^\s\"'<>)\\]*)?")
# Attributes that hold addresses. data-* attributes hold the addresses scripts fetch.
URL_ATTRIBUTES = ("href", "src", "action", "poster", "content", "data")
# Not worth following: static files (shipped code, the same for everyone).
SKIP_PREFIXES = ("/static/",)
# Pages whose query only says where to go next: every page links to the sign-in page with
# ?next=itself, and the sign-in page to itself with ?next=…, without end. One copy is enough.
QUERY_IGNORED = ("/accounts/login/",)


@dataclass
class Document:
    url: str
    status: int
    content_type: str
    # (where, text): the body, or each file of a zip; headers as one more entry.
    texts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Crawl:
    documents: dict[str, Document]
    limit_reached: bool

    def find(self, needle: str) -> list[str]:
        """Where needle appears: "url" or "url → file in the zip"."""
        return [
            where
            for document in self.documents.values()
            for where, text in document.texts
            if needle in text
        ]

    def statuses(self) -> dict[str, int]:
        return {url: document.status for url, document in self.documents.items()}


def crawl(client, seeds, *, limit=600) -> Crawl:
    """Fetch the seeds and every same-site address they lead to, up to limit documents."""
    queue = deque(normalise(seed, "/") for seed in seeds)
    seen = set(queue)
    documents = {}
    while queue:
        if len(documents) >= limit:
            return Crawl(documents, limit_reached=True)
        url = queue.popleft()
        response = client.get(url)
        document = read(url, response)
        documents[url] = document
        for link in links(url, response, document):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return Crawl(documents, limit_reached=False)


def body_of(response) -> bytes:
    """The whole body. Reading a streamed file to its end closes it (the test client closes
    the response then); closing it again would close the database connection as well."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def read(url, response) -> Document:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    data = body_of(response)
    response.fetched_body = data
    document = Document(url=url, status=response.status_code, content_type=content_type)
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    document.texts.append((f"{url} (headers)", headers))
    if content_type == "application/zip" or data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                text = archive.read(name).decode("utf-8", "replace")
                document.texts.append((f"{url} → {name}", text))
    else:
        text = data.decode("utf-8", "replace")
        if content_type == "text/calendar":
            text = text.replace("\r\n ", "").replace("\n ", "")  # unfold long lines
        document.texts.append((url, text))
        if content_type == "text/html" and text.strip():
            # The words as a reader sees them: a search hit wraps what matched in <mark>, which
            # would cut a marker in two in the markup.
            words = lxml.html.fromstring(text).text_content()
            document.texts.append((f"{url} (text)", words))
    return document


def links(url, response, document) -> list[str]:
    found = []
    if response.status_code in (301, 302, 303, 307, 308):
        found.append(response["Location"])
    for _where, text in document.texts:
        found.extend(match.group(0) for match in ABSOLUTE.finditer(text))
    if document.content_type == "text/html" and response.fetched_body.strip():
        tree = lxml.html.fromstring(response.fetched_body.decode("utf-8", "replace"))
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                if name in URL_ATTRIBUTES or name.startswith("data-"):
                    found.append(value)
                elif name in ("srcset", "imagesrcset"):
                    found.extend(part.split()[0] for part in value.split(",") if part.strip())
    kept = []
    for link in found:
        address = normalise(link, url)
        if address and not address.startswith(SKIP_PREFIXES):
            kept.append(address)
    return kept


def normalise(link: str, base: str) -> str | None:
    """The path and query of a same-site address; None for other sites and non-addresses."""
    link = link.strip()
    if not link or link.startswith(("#", "mailto:", "tel:", "javascript:", "data:", "blob:")):
        return None
    if not (link.startswith(("/", "http://", "https://")) or link.startswith("?")):
        return None  # words in a content="" or data-… attribute, not an address
    parts = urlsplit(urljoin(f"http://{HOST}{base}", link))
    if parts.hostname != HOST:
        return None
    path = parts.path or "/"
    query = "" if path in QUERY_IGNORED else parts.query
    return urlunsplit(("", "", path, query, ""))
