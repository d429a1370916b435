"""The XSS corpus, the checks for what may come out of it, and a site with it in every field.

Each payload that could run sets window.__xss and calls alert(), so a browser test sees it either
way. The site puts the payloads in every field a person or an imported schedule supplies: note
bodies, photo captions and credits, session titles, subtitles, abstracts and descriptions,
speaker names and bios, room and track names, the conference's name and description, write-up
texts — typed in (through the services and the models the admin saves) and imported from frab
XML and C3VOC JSON files.
"""

import base64
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
from django.core.management import call_command

from notes.models import Visibility
from notes.photos import services as photo_services
from notes.services import save_note
from notes.writeups import services as writeup_services
from sessions.models import Conference, Session, Speaker
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
)
from tests.support.photo_corpus import phone_jpeg, upload

JS = "window.__xss=1;alert(1)"
DATA_HTML = base64.b64encode(f"<script>{JS}</script>".encode()).decode()
DATA_SVG = base64.b64encode(f'<svg xmlns="http://www.w3.org/2000/svg" onload="{JS}"/>'.encode())

PAYLOADS = [
    # script tags
    f"<script>{JS}</script>",
    f"<SCRIPT>{JS}</SCRIPT>",
    "<script src=//evil.example/x.js></script>",
    f"<scr<script>ipt>{JS}</scr</script>ipt>",
    f'<script type="module">{JS}</script>',
    # event handlers
    f'<img src=x onerror="{JS}">',
    f"<img src=x onerror={JS}>",
    f"<IMG SRC=x OnErRoR={JS}>",
    f"<svg onload={JS}>",
    f"<body onload={JS}>",
    f"<details open ontoggle={JS}>",
    f"<input autofocus onfocus={JS}>",
    f"<video><source onerror={JS}></video>",
    f"<audio src=x onerror={JS}>",
    f'<a href="#" onclick="{JS}">click</a>',
    f"<div onmouseover={JS}>hover me</div>",
    f"<marquee onstart={JS}>x</marquee>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    # javascript:, vbscript: and data: URLs
    f'<a href="javascript:{JS}">js link</a>',
    f'<a href="JaVaScRiPt:{JS}">mixed case</a>',
    f'<a href="jav&#x09;ascript:{JS}">tab entity</a>',
    f'<a href="&#106;avascript:{JS}">decimal entity</a>',
    f'<a href="&#x6A;&#x61;vascript:{JS}">hex entity</a>',
    f'<a href="  javascript:{JS}">leading spaces</a>',
    '<a href="vbscript:msgbox(1)">vbscript</a>',
    f'<a href="data:text/html;base64,{DATA_HTML}">data html</a>',
    f'<a href="data:text/html,<script>{JS}</script>">data inline</a>',
    f'<iframe src="javascript:{JS}"></iframe>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    f'<object data="javascript:{JS}"></object>',
    f'<embed src="javascript:{JS}">',
    f'<form action="javascript:{JS}"><button>send</button></form>',
    f'<button formaction="javascript:{JS}">go</button>',
    f'<math><mi xlink:href="javascript:{JS}">math</mi></math>',
    f'<table background="javascript:{JS}"><tr><td>x</td></tr></table>',
    # SVG
    f"<svg><script>{JS}</script></svg>",
    f"<svg><animate onbegin={JS} attributeName=x dur=1s>",
    f'<svg><a xlink:href="javascript:{JS}"><text x="20" y="20">svg link</text></a></svg>',
    f'<img src="data:image/svg+xml;base64,{DATA_SVG.decode()}">',
    # Markdown links and images
    f"[md link](javascript:{JS})",
    f"[md upper](JAVASCRIPT:{JS})",
    f"[md spaced](  javascript:{JS})",
    f"[md angle](<javascript:{JS}>)",
    f"[md entity](javascript&#58;{JS})",
    f"[md data](data:text/html;base64,{DATA_HTML})",
    f"![md image](javascript:{JS})",
    f'![md image quote](x" onerror="{JS})',
    f'[md title](https://example.org "x\\" onmouseover=\\"{JS}")',
    f"[md reference][evil]\n\n[evil]: javascript:{JS}",
    f"<javascript:{JS}>",
    f'<https://example.org/" onmouseover="{JS}>',
    # broken markup, nested quotes, closing the context we sit in
    f'"><script>{JS}</script>',
    f"'><img src=x onerror={JS}>",
    f'"onmouseover="{JS}',
    f"</textarea><script>{JS}</script>",
    f"</title><script>{JS}</script>",
    f"</style><script>{JS}</script>",
    f"</script><script>{JS}</script>",
    f'<!--<img src="--><img src=x onerror={JS}//">',
    f'<img """><script>{JS}</script>">',
    f'<noscript><p title="</noscript><img src=x onerror={JS}>">',
    f"<<script>script>{JS}<</script>/script>",
    # entity tricks
    f"&lt;script&gt;{JS}&lt;/script&gt;",
    f"&#60;img src=x onerror={JS}&#62;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    # style, meta, base, link
    f'<style>body{{background:url("javascript:{JS}")}}</style>',
    f'<div style="background-image:url(javascript:{JS})">styled</div>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    # template syntax (must stay text)
    "{{ 7|add:7 }} {% csrf_token %} ${7*7}",
]


# --- what a sanitized fragment or a page may not hold ---

# Never in rendered Markdown.
FORBIDDEN_IN_MARKDOWN = {
    "script", "iframe", "svg", "math", "style", "form", "meta", "object", "embed", "base",
    "link", "input", "button", "textarea", "frame", "frameset", "video", "audio", "source",
    "details", "marquee", "noscript", "body", "html",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "srcset", "action", "formaction", "background", "poster", "data", "xlink:href",
    "srcdoc", "lowsrc", "dynsrc",
}  # fmt: skip
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)
RAW_TAG = re.compile(r"<\s*(script|iframe|svg|style|form|meta)\b", re.IGNORECASE)


def scheme_of(value: str) -> str:
    """The URL as a browser reads its scheme: control characters and spaces are dropped."""
    return re.sub(r"[\x00-\x20]", "", value)


XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def markdown_dangers(html: str) -> list[str]:
    """What must never be in render_markdown's output, one line each."""
    problems = [f"raw <{match[1]}" for match in RAW_TAG.finditer(html)]
    if not html.strip():
        return problems
    # Control characters cannot form markup, and lxml refuses text that holds them.
    html = XML_INCOMPATIBLE.sub("", html)
    for element in lxml.html.fragment_fromstring(html, create_parent="div").iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag.lower() in FORBIDDEN_IN_MARKDOWN:
            problems.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            if re.fullmatch(r"on\w+", name, re.IGNORECASE) or name == "style":
                problems.append(f"{name}= on <{element.tag}>")
            elif name.lower() in URL_ATTRIBUTES and BAD_SCHEME.match(scheme_of(value)):
                problems.append(f"{name}={value!r} on <{element.tag}>")
    return problems


def page_dangers(html: str, nonce: str) -> list[str]:
    """What must never be in one of our pages: code we did not write, or a way to run some."""
    problems = []
    tree = lxml.html.fromstring(html)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in {"iframe", "object", "embed", "frame", "frameset", "base", "math"}:
            problems.append(f"<{tag}>")
        if tag == "script" and element.get("src") is None:
            kind = (element.get("type") or "").lower()
            if kind != "application/json" and element.get("nonce") != nonce:
                problems.append(f"inline <script>: {element.text_content()[:80]!r}")
        if tag == "script" and element.get("src") and not element.get("src").startswith("/"):
            problems.append(f"<script src={element.get('src')!r}>")
        if tag == "style" and element.get("nonce") != nonce:
            problems.append("<style> without the nonce")
        if tag == "meta" and element.get("http-equiv"):
            problems.append(f"<meta http-equiv={element.get('http-equiv')!r}>")
        if tag == "link" and not (element.get("href") or "").startswith(("/", "http://testserver")):
            problems.append(f"<link href={element.get('href')!r}>")
        for name, value in element.attrib.items():
            if re.fullmatch(r"on\w+", name, re.IGNORECASE) or name == "style":
                problems.append(f"{name}= on <{tag}>")
            elif name.lower() in URL_ATTRIBUTES and BAD_SCHEME.match(scheme_of(value)):
                problems.append(f"{name}={value[:60]!r} on <{tag}>")
    return problems


# --- the site ---

SEOUL = ZoneInfo("Asia/Seoul")
START = date(2025, 8, 15)
CORPUS = "\n\n".join(PAYLOADS)  # every payload in one Markdown text


@dataclass
class XssSite:
    owner: object
    conference: Conference
    corpus_session: Session  # its page shows notes, photos and texts full of payloads
    speaker: Speaker
    imported: list[Conference] = field(default_factory=list)


def chunks(limit: int) -> list[str]:
    """The payloads joined into texts of at most limit characters, each payload in one piece."""
    out, current = [], ""
    for payload in PAYLOADS:
        payload = payload[:limit]
        if current and len(current) + 1 + len(payload) > limit:
            out.append(current)
            current = ""
        current = f"{current} {payload}" if current else payload
    return [*out, current]


def build_xss_site(tmp_path: Path, *, imports=True) -> XssSite:
    owner = UserFactory(username="owner")
    conference = ConferenceFactory(
        name=f"XSS Conf {PAYLOADS[0]}"[:200], slug="xss", timezone="Asia/Seoul",
        start_date=START, end_date=START + timedelta(days=1), description=CORPUS,
    )  # fmt: skip
    day = DayFactory(conference=conference, index=1, date=START)
    DayFactory(conference=conference, index=2, date=START + timedelta(days=1))
    rooms = [
        RoomFactory(conference=conference, name=payload[:200], slug=f"room-{i}", order=i)
        for i, payload in enumerate(PAYLOADS[:6])
    ]
    tracks = [
        TrackFactory(conference=conference, name=payload[:200], slug=f"track-{i}")
        for i, payload in enumerate(PAYLOADS[6:10])
    ]
    speakers = []
    for index, payload in enumerate(PAYLOADS):
        speaker = SpeakerFactory(
            conference=conference, name=f"{payload[:190]} xsp{index}", slug=f"sp-{index}",
            bio=payload, affiliation=payload[:200],
            links=[{"title": payload, "url": f"javascript:{JS}"},
                   {"title": payload, "url": "https://example.org/ok"}],
        )  # fmt: skip
        speakers.append(speaker)
        starts_at = datetime.combine(START, time(9), tzinfo=SEOUL) + timedelta(minutes=20 * index)
        SessionFactory(
            conference=conference, day=day, room=rooms[index % len(rooms)],
            track=tracks[index % len(tracks)], title=f"{payload[:280]} xss{index}",
            subtitle=payload[:300], slug=f"talk-{index}", starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=40), abstract=payload, description=payload,
            speakers=[speaker],
            links=[{"title": payload, "url": f"javascript:{JS}"}],
        )  # fmt: skip
    corpus_starts = datetime.combine(START + timedelta(days=1), time(10), tzinfo=SEOUL)
    corpus_session = SessionFactory(
        conference=conference, day=conference.days.get(index=2), room=rooms[0], track=tracks[0],
        title=f"Corpus {PAYLOADS[5]}", subtitle=PAYLOADS[6], slug="corpus",
        starts_at=corpus_starts, ends_at=corpus_starts + timedelta(hours=1), abstract=CORPUS,
        description=CORPUS, speakers=speakers[:10],
    )  # fmt: skip

    # The owner's public notes and photos, through the services the editor uses.
    save_note(
        author=owner, session=corpus_session, body=CORPUS, visibility=Visibility.PUBLIC,
        base_version=0,
    )  # fmt: skip
    for index, payload in enumerate(PAYLOADS[:12]):
        session = Session.objects.get(conference=conference, slug=f"talk-{index}")
        save_note(
            author=owner, session=session, body=payload, visibility=Visibility.PUBLIC,
            base_version=0,
        )  # fmt: skip
    for caption, credit in zip(chunks(500), chunks(200), strict=False):
        photo = photo_services.add_photo(
            owner=owner, session=corpus_session, visibility=Visibility.PUBLIC,
            upload=upload(phone_jpeg((320, 240), orientation=1)),
        )  # fmt: skip
        photo_services.update_photo(
            photo=photo, caption=caption, credit=credit, credit_url="https://example.org/credit",
            visibility=Visibility.PUBLIC,
        )  # fmt: skip
    # Someone else's public notes on the corpus session too.
    for index, payload in enumerate(PAYLOADS[12:20]):
        save_note(
            author=UserFactory(username=f"writer{index}"), session=corpus_session,
            body=payload, visibility=Visibility.PUBLIC, base_version=0,
        )  # fmt: skip
    writeup = writeup_services.save_writeup(
        author=owner, conference=conference, title=f"Write-up {PAYLOADS[0]}"[:300],
        summary=" ".join(chunks(500)[:1]), intro=CORPUS, closing=CORPUS, cover_photo=None,
    )  # fmt: skip
    writeup_services.publish(writeup=writeup)
    site = XssSite(
        owner=owner, conference=conference, corpus_session=corpus_session, speaker=speakers[0]
    )
    if imports:
        for path in (write_json_schedule(tmp_path), write_xml_schedule(tmp_path)):
            call_command("import_schedule", str(path), verbosity=0, stdout=io.StringIO())
        site.imported = list(Conference.objects.filter(slug__in=["xssjson", "xssxml"]))
    return site


def write_json_schedule(folder: Path) -> Path:
    """A C3VOC schedule.json with a payload in every text the importer reads."""
    events = []
    for index, payload in enumerate(PAYLOADS):
        starts = datetime.combine(START, time(9), tzinfo=SEOUL) + timedelta(minutes=20 * index)
        events.append(
            {
                "id": index + 1, "guid": f"0000000{index:02d}-0000-4000-8000-000000000000",
                "date": starts.isoformat(), "start": starts.strftime("%H:%M"),
                "duration": "00:15", "room": "Room A", "slug": f"xss-{index}",
                "url": f"javascript:{JS}", "title": f"{payload} j{index}", "subtitle": payload,
                "track": payload[:100], "type": "talk", "language": "en", "abstract": payload,
                "description": payload, "do_not_record": False,
                "persons": [{"id": 100 + index, "public_name": f"{payload[:150]} p{index}",
                             "biography": payload}],
                "links": [{"url": f"javascript:{JS}", "title": payload},
                          {"url": "https://example.org/slides", "title": payload}],
                "attachments": [],
            }
        )  # fmt: skip
    document = {
        "schedule": {
            "version": "1", "base_url": "https://example.org/",
            "conference": {
                "acronym": "xssjson", "title": f"JSON {PAYLOADS[0]}", "start": START.isoformat(),
                "end": START.isoformat(), "daysCount": 1, "timeslot_duration": "00:05",
                "time_zone_name": "Asia/Seoul",
                "rooms": [{"name": "Room A", "guid": "a0000000-0000-4000-8000-000000000000"}],
                "tracks": [{"name": payload[:100], "color": "#123456"} for payload in PAYLOADS[:3]],
                "days": [{
                    "index": 1, "date": START.isoformat(),
                    "day_start": f"{START.isoformat()}T08:00:00+09:00",
                    "day_end": f"{START.isoformat()}T23:59:00+09:00",
                    "rooms": {"Room A": events},
                }],
            },
        }
    }  # fmt: skip
    path = folder / "xss-schedule.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def write_xml_schedule(folder: Path) -> Path:
    """A frab schedule.xml with a payload in every text the importer reads (escaped as XML)."""
    root = ET.Element("schedule")
    conference = ET.SubElement(root, "conference")
    for tag, text in (
        ("title", f"XML {PAYLOADS[1]}"), ("acronym", "xssxml"), ("start", START.isoformat()),
        ("end", START.isoformat()), ("days", "1"), ("time_zone_name", "Asia/Seoul"),
    ):  # fmt: skip
        ET.SubElement(conference, tag).text = text
    day = ET.SubElement(
        root, "day", date=START.isoformat(), index="1",
        start=f"{START.isoformat()}T08:00:00+09:00", end=f"{START.isoformat()}T23:59:00+09:00",
    )  # fmt: skip
    room = ET.SubElement(day, "room", name=PAYLOADS[2][:100])
    for index, payload in enumerate(PAYLOADS):
        starts = datetime.combine(START, time(9), tzinfo=SEOUL) + timedelta(minutes=20 * index)
        event = ET.SubElement(
            room, "event", id=str(index + 1), guid=f"1000000{index:02d}-0000-4000-8000-000000000000"
        )
        for tag, text in (
            ("date", starts.isoformat()), ("start", starts.strftime("%H:%M")),
            ("duration", "00:15"), ("room", PAYLOADS[2][:100]), ("slug", f"xml-{index}"),
            ("title", f"{payload} x{index}"), ("subtitle", payload), ("track", payload[:100]),
            ("type", "talk"), ("language", "en"), ("abstract", payload),
            ("description", payload), ("url", f"javascript:{JS}"),
        ):  # fmt: skip
            ET.SubElement(event, tag).text = text
        persons = ET.SubElement(event, "persons")
        ET.SubElement(persons, "person", id=str(200 + index)).text = f"{payload[:150]} q{index}"
        links = ET.SubElement(event, "links")
        ET.SubElement(links, "link", href=f"javascript:{JS}").text = payload
    path = folder / "xss-schedule.xml"
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path
