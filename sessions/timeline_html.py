"""The inside of the day timeline grid as HTML, written out in Python.

The busiest day of a large conference (36C3: 445 sessions in 78 rooms, 200 rows) has hundreds of
boxes; the template engine spends well over a hundred milliseconds on them, these f-strings a
few. program/_timeline.html draws the frame around this (heading, zone, legend, scroll box) and
shows the markup this module writes:

    <div class="tl-corner">  <div class="tl-room" id="r7">101호</div> …
    <div class="tl-time" id="t0" data-at="…"><time datetime="…">10:00</time></div> …
    <h3 class="tl-slot"><time>10:00</time></h3>
    <article class="s k-talk tr3 is-changed" id="s12">
      <div class="s-in"><p class="s-when">…</p><h4 class="s-title"><a href="…">…</a></h4>
      <p class="s-who">…</p><p class="s-tags"><span class="tag tag-change tag-moved">Moved</span>
      …</p></div>{star button}</article> …
    <div class="tl-now" hidden>…</div>

Every text from the database goes through escape().
"""

from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sessions.models import Session
from sessions.timeline import badges

# Kinds that need no label on a box: most sessions are talks, and "other" says nothing.
PLAIN_KINDS = {Session.Kind.TALK, Session.Kind.BREAK, Session.Kind.OTHER}


def render_grid(timeline, *, star_button=None):
    """The grid's cells and boxes; star_button(session, starred) → HTML for signed-in users."""
    out = ['<div class="tl-corner" aria-hidden="true"></div>']
    for column in timeline.columns:
        name = escape(column.room.name)
        out.append(
            f'<div class="tl-room" id="{column.css_id}" title="{name}" aria-hidden="true">'
            f"{name}</div>"
        )
    for row in timeline.rows:
        iso = row.iso
        label = f'<time datetime="{iso}">{row.label}</time>' if row.label else ""
        out.append(
            f'<div class="tl-time" id="{row.css_id}" data-at="{iso}" aria-hidden="true">'
            f"{label}</div>"
        )
        if row.label:
            hour = " is-hour" if row.is_hour else ""
            out.append(f'<div class="tl-rule{hour}" id="{row.rule_id}" aria-hidden="true"></div>')
    kinds = {value: escape(str(label)) for value, label in Session.Kind.choices}
    word = escape(_("Cancelled"))
    # A box's "cancelled" tag, and the one of a session cancelled in the latest version.
    cancelled = (
        f'<span class="tag tag-cancelled">{word}</span>',
        f'<span class="tag tag-cancelled tag-change">{word}</span>',
    )
    for slot in timeline.slots:
        out.append(f'<h3 class="tl-slot"><time datetime="{slot.iso}">{slot.label}</time></h3>')
        for item in slot.items:
            out.append(render_box(item, kinds, cancelled, star_button))
    out.append('<div class="tl-now" data-now-line hidden><span data-now-label></span></div>')
    return mark_safe("".join(out))  # built from escaped parts


def render_box(item, kinds, cancelled, star_button):
    session = item.session
    kind = session.kind
    classes = f"s k-{escape(kind)}"  # kind is a choice, but imports write the column too
    if session.track_id:
        classes += f" tr{session.track_id}"
    if session.cancelled:
        classes += " is-cancelled"
    changed = badges(item.changes)
    if changed:
        classes += " is-changed"
    if item.is_now:
        classes += " is-now"
    if item.all_rooms:
        classes += " is-all-rooms"
    start, end = item.start_iso, item.end_iso
    room = f'<span class="s-room"> · {escape(session.room.name)}</span>' if session.room else ""
    title = escape(session.title)
    if kind != Session.Kind.BREAK:
        title = f'<a href="{escape(item.url)}">{title}</a>'
    who = f'<p class="s-who">{escape(item.speaker_names)}</p>' if item.speakers else ""
    tags = [
        f'<span class="tag tag-change tag-{name}">{escape(label)}</span>'
        for name, label in changed
        if name != "cancelled"
    ]
    if session.cancelled:
        just_now = any(name == "cancelled" for name, _label in changed)
        tags.insert(0, cancelled[just_now])
    if kind not in PLAIN_KINDS:
        tags.append(f'<span class="tag">{kinds.get(kind, escape(kind))}</span>')
    if session.track_id:
        tags.append(f'<span class="tag tag-track">{escape(session.track.name)}</span>')
    tags = f'<p class="s-tags">{"".join(tags)}</p>' if tags else ""
    star = ""
    if star_button is not None and kind != Session.Kind.BREAK:
        star = star_button(session, item.starred)
    return (
        f'<article class="{classes}" id="{item.css_id}">'
        f'<div class="s-in"><p class="s-when"><time datetime="{start}">{item.start_label}</time>'
        f'–<time datetime="{end}">{item.end_label}</time>{room}</p>'
        f'<h4 class="s-title">{title}</h4>{who}{tags}</div>{star}</article>'
    )
