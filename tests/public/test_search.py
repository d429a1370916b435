"""Search: sessions, speakers and my own notes, in Korean and English, on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.urls import reverse

from notes.models import Visibility
from public import search
from sessions.models import Session
from tests.support.factories import (
    ConferenceFactory,
    NoteFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="typo tolerance is trigram similarity (pg_trgm), which only PostgreSQL has",
)


def at(day, hour, minute=0):
    return datetime(2025, 8, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def programme(owner, other_user):
    """Two conferences, a Korean and an English speaker, and notes by two people."""
    pycon = ConferenceFactory(
        name="PyCon Korea 2025",
        slug="pycon-kr-2025",
        timezone="Asia/Seoul",
        start_date=date(2025, 8, 15),
        end_date=date(2025, 8, 16),
    )
    euro = ConferenceFactory(
        name="EuroPython 2025",
        slug="europython-2025",
        timezone="Europe/Prague",
        start_date=date(2025, 7, 14),
        end_date=date(2025, 7, 20),
    )
    mlops = TrackFactory(conference=pycon, name="MLOps & Data")
    park = SpeakerFactory(
        conference=pycon,
        name="박해선",
        affiliation="Microsoft MVP",
        bio="「혼자 공부하는 머신러닝+딥러닝」을 썼습니다.",
    )
    jane = SpeakerFactory(
        conference=pycon,
        name="Jane Kim",
        affiliation="Kubeflow community",
        bio="Maintainer of **pipelines** tooling.",
    )
    jane_euro = SpeakerFactory(conference=euro, name="Jane Kim", affiliation="ACME")
    s = {
        "kubeflow_ko": SessionFactory(
            conference=pycon,
            title="Kubeflow로 만드는 MLOps 파이프라인",
            track=mlops,
            abstract="쿠버네티스 위에서 모델을 배포합니다.",
            starts_at=at(15, 1),
            speakers=[park],
        ),
        "types": SessionFactory(
            conference=pycon,
            title="파이썬 타입 힌트 실전",
            abstract="mypy and pyright",
            starts_at=at(15, 6),
        ),
        "data": SessionFactory(
            conference=pycon,
            title="데이터 엔지니어링 입문",
            abstract="파이썬으로 ETL을 만듭니다. Airflow and *Kubeflow* compared.",
            starts_at=at(15, 2),
            speakers=[jane],
        ),
        "scaling": SessionFactory(
            conference=pycon,
            title="Scaling Pipelines",
            subtitle="Lessons from production",
            abstract="How we run Kubeflow at scale.",
            starts_at=at(15, 0),
        ),
        "euro_kubeflow": SessionFactory(
            conference=euro,
            title="Kubeflow in practice",
            abstract="From notebook to cluster.",
            starts_at=datetime(2025, 7, 14, 9, tzinfo=UTC),
            speakers=[jane_euro],
        ),
    }
    notes = {
        "mine": NoteFactory(
            author=owner, session=s["kubeflow_ko"], body="Kubeflow 데모가 인상적. Ask about GPUs."
        ),
        "mine_public": NoteFactory(
            author=owner, session=s["types"], body="파이썬 3.14 typing", visibility="public"
        ),
        "theirs": NoteFactory(
            author=other_user, session=s["kubeflow_ko"], body="zebra7 secret: Kubeflow is hard"
        ),
        "theirs_public": NoteFactory(
            author=other_user,
            session=s["types"],
            body="zebra7 public note",
            visibility=Visibility.PUBLIC,
        ),
    }
    return {
        "pycon": pycon,
        "euro": euro,
        "park": park,
        "jane": jane,
        "jane_euro": jane_euro,
        **s,
        **{f"note_{key}": note for key, note in notes.items()},
    }


def found(response):
    """What a results page lists, group by group: titles, names, and notes' sessions."""
    labels = {
        "sessions": lambda hit: hit.session.title,
        "speakers": lambda hit: f"{hit.speaker.name} ({hit.speaker.conference.slug})",
        "notes": lambda hit: f"{hit.note.author.username}: {hit.note.session.title}",
    }
    return {
        group.key: [labels[group.key](hit) for hit in group.hits]
        for group in response.context["groups"]
    }


def get(client, **params):
    response = client.get(reverse("public:search"), params)
    assert response.status_code == 200
    return response


# --- what is found ---


def test_korean_name_finds_the_speaker_and_their_sessions(client, programme):
    response = get(client, q="박해선")
    assert found(response) == {
        "sessions": ["Kubeflow로 만드는 MLOps 파이프라인"],
        "speakers": ["박해선 (pycon-kr-2025)"],
    }
    # The speaker's entry lists their sessions.
    session = programme["kubeflow_ko"]
    assert f'<li><a href="{session.get_absolute_url()}">{session.title}</a></li>' in response.text


def test_korean_word_finds_it_inside_longer_words(client, programme):
    # 파이썬으로 (with a particle) counts; the title match comes first although it starts later.
    assert found(get(client, q="파이썬"))["sessions"] == [
        "파이썬 타입 힌트 실전",
        "데이터 엔지니어링 입문",
    ]


def test_part_of_a_korean_word_is_enough(client, programme):
    assert found(get(client, q="머신러닝"))["speakers"] == ["박해선 (pycon-kr-2025)"]
    assert found(get(client, q="엔지니어"))["sessions"] == ["데이터 엔지니어링 입문"]


def test_english_query_finds_title_abstract_and_speaker_matches(client, programme):
    results = found(get(client, q="Kubeflow"))
    # Title matches first (on SQLite by start time, on PostgreSQL by rank): then abstracts.
    assert sorted(results["sessions"][:2]) == [
        "Kubeflow in practice",
        "Kubeflow로 만드는 MLOps 파이프라인",
    ]
    assert sorted(results["sessions"][2:]) == ["Scaling Pipelines", "데이터 엔지니어링 입문"]
    assert results["speakers"] == ["Jane Kim (pycon-kr-2025)"]


@pytest.mark.parametrize("query", ["kubeflow", "KUBEFLOW", "kUbEfLoW", "Kubef", "beflo"])
def test_case_and_partial_words_do_not_matter(client, programme, query):
    assert sorted(found(get(client, q=query))["sessions"]) == [
        "Kubeflow in practice",
        "Kubeflow로 만드는 MLOps 파이프라인",
        "Scaling Pipelines",
        "데이터 엔지니어링 입문",
    ]


def test_title_match_ranks_before_abstract_match(client, programme):
    # "Scaling Pipelines" starts first, but only its abstract says kubeflow… and the other way
    # round for "pipelines": a title beats an earlier abstract-only match.
    SessionFactory(
        conference=programme["pycon"],
        title="Notebooks",
        abstract="Pipelines everywhere",
        starts_at=at(14, 23),
    )
    assert found(get(client, q="pipelines"))["sessions"] == ["Scaling Pipelines", "Notebooks"]


def test_every_word_must_match_somewhere(client, programme):
    # "jane" is a speaker's name, "etl" is in the abstract: both hold only for one session.
    assert found(get(client, q="jane etl"))["sessions"] == ["데이터 엔지니어링 입문"]
    assert found(get(client, q="jane nothing-like-this"))["sessions"] == []


def test_track_and_subtitle_are_searched(client, programme):
    assert found(get(client, q="mlops & data"))["sessions"] == [
        "Kubeflow로 만드는 MLOps 파이프라인"
    ]
    assert found(get(client, q="lessons from"))["sessions"] == ["Scaling Pipelines"]


def test_speaker_affiliation_and_bio_are_searched(client, programme):
    assert found(get(client, q="microsoft"))["speakers"] == ["박해선 (pycon-kr-2025)"]
    assert found(get(client, q="maintainer"))["speakers"] == ["Jane Kim (pycon-kr-2025)"]


# --- where: one conference or all ---


def test_conference_parameter_limits_everything_to_that_conference(owner_client, programme):
    response = get(owner_client, q="kubeflow", conference="europython-2025")
    assert found(response) == {"sessions": ["Kubeflow in practice"], "speakers": [], "notes": []}
    assert response.context["conference"] == programme["euro"]
    assert 'name="conference" value="europython-2025" checked' in response.text


def test_without_conference_the_whole_site_is_searched(client, programme):
    # The same name at two conferences: the more recent one first.
    assert found(get(client, q="jane kim"))["speakers"] == [
        "Jane Kim (pycon-kr-2025)",
        "Jane Kim (europython-2025)",
    ]


def test_unknown_conference_searches_the_whole_site(client, programme):
    response = get(client, q="jane kim", conference="no-such-conference")
    assert response.context["conference"] is None
    assert len(found(response)["speakers"]) == 2


# --- privacy ---


def test_my_notes_are_found_whatever_their_visibility(owner_client, programme):
    assert found(get(owner_client, q="kubeflow"))["notes"] == [
        "owner: Kubeflow로 만드는 MLOps 파이프라인"
    ]
    assert found(get(owner_client, q="typing"))["notes"] == ["owner: 파이썬 타입 힌트 실전"]


def test_another_users_notes_are_never_found(owner_client, programme):
    response = get(owner_client, q="zebra7")
    assert found(response) == {"sessions": [], "speakers": [], "notes": []}
    assert "zebra7 secret" not in response.text
    assert search.search_notes("zebra7", user=programme["note_mine"].author).count() == 0


def test_each_user_finds_only_their_own_notes(other_client, programme):
    # Newest first.
    assert found(get(other_client, q="zebra7"))["notes"] == [
        "other: 파이썬 타입 힌트 실전",
        "other: Kubeflow로 만드는 MLOps 파이프라인",
    ]


def test_anonymous_visitor_gets_no_notes_group(client, programme):
    response = get(client, q="kubeflow")
    assert [group.key for group in response.context["groups"]] == ["sessions", "speakers"]
    assert "데모가 인상적" not in response.text
    assert found(get(client, q="zebra7")) == {"sessions": [], "speakers": []}


# --- the page ---


def test_match_is_highlighted_after_escaping(client, programme):
    SessionFactory(
        conference=programme["pycon"],
        title="<script>alert(1)</script> Kubeflow & amp",
        abstract="1 < 2 & kubeflow > 0",
    )
    html = get(client, q="kubeflow amp").text
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Kubeflow</mark> &amp; <mark>amp</mark>" in html
    )
    assert "1 &lt; 2 &amp; <mark>kubeflow</mark> &gt; 0" in html
    assert "<script>alert(1)" not in html


def test_query_markup_is_escaped_everywhere(client, programme):
    html = get(client, q='"><img src=x onerror=alert(1)> kubeflow').text
    assert "<img src=x" not in html
    assert 'value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt; kubeflow"' in html


def test_results_show_conference_local_time_speakers_and_counts(client, programme):
    response = get(client, q="박해선")
    html = response.text
    # 01:00 UTC is 10:00 in Seoul.
    assert '<time datetime="2025-08-15T10:00:00+09:00">' in html
    assert ">PyCon Korea 2025</a>" in html
    assert '<a href="/pycon-kr-2025/speakers/' in html
    assert "<mark>박해선</mark>" in html
    assert [(group.key, group.count) for group in response.context["groups"]] == [
        ("sessions", 1),
        ("speakers", 1),
    ]


def test_search_box_is_prefilled(client, programme):
    html = get(client, q="  Kubeflow   파이썬 ").text
    assert 'id="search-q" type="search" name="q" value="Kubeflow 파이썬"' in html


def test_overview_shows_a_few_per_group_and_links_to_all(client, programme):
    for number in range(7):
        SessionFactory(conference=programme["pycon"], title=f"Kubeflow part {number}")
    response = get(client, q="kubeflow part")
    (sessions,) = [group for group in response.context["groups"] if group.key == "sessions"]
    assert (sessions.count, len(sessions.hits)) == (7, 5)
    assert "type=sessions" in response.text


def test_one_group_is_paginated(client, programme):
    for number in range(23):
        SessionFactory(conference=programme["pycon"], title=f"Kubeflow part {number:02}")
    first = get(client, q="kubeflow part", type="sessions")
    second = get(client, q="kubeflow part", type="sessions", page=2)
    assert len(found(first)["sessions"]) == 20
    assert found(second)["sessions"] == ["Kubeflow part 20", "Kubeflow part 21", "Kubeflow part 22"]
    assert found(second)["speakers"] == []  # only counted on this page
    assert 'rel="prev"' in second.text
    assert 'rel="next"' in first.text


def test_an_empty_group_on_its_own_says_so(client, programme):
    response = get(client, q="kubeflow", type="speakers", conference="europython-2025")
    assert found(response) == {"sessions": [], "speakers": []}
    assert "Nothing in Speakers matches “kubeflow”." in response.text


# --- bad input: always a page, never an error ---


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "!!!"},
        {"q": "%"},
        {"q": "_"},
        {"q": "\\"},
        {"q": "'"},
        {"q": "'; DROP TABLE program_session; --"},
        {"q": "kube\x00flow"},
        {"q": "\x00"},
        {"q": "a" * 10_000},
        {"q": "kubeflow " * 500},
        {"q": "a & b | !c :* <-> ("},
        {"q": "kubeflow", "page": "abc"},
        {"q": "kubeflow", "page": "-1"},
        {"q": "kubeflow", "page": "99999999999999999999"},
        {"q": "kubeflow", "type": "sessions", "page": "0"},
        {"q": "kubeflow", "type": "passwords"},
        {"q": "kubeflow", "conference": "'; --"},
        {"q": "kubeflow", "conference": "pycon\x00"},
        {"q": "kubeflow", "conference": "x" * 5000},
    ],
)
def test_bad_input_gets_a_page(owner_client, programme, params):
    response = owner_client.get(reverse("public:search"), params)
    assert response.status_code == 200
    assert len(response.context["query"]) <= search.MAX_QUERY_LENGTH
    assert "\x00" not in response.context["query"]


def test_punctuation_only_query_says_what_to_type(client, programme):
    response = get(client, q="?!…")
    assert response.context["groups"] == []
    assert "Type a word or a name" in response.text


def test_null_byte_splits_words(client, programme):
    assert search.clean_query("kube\x00flow\tpipelines\n") == "kube flow pipelines"
    assert len(found(get(client, q="Kubeflow\x00"))["sessions"]) == 4


def test_long_query_is_cut(programme):
    assert search.clean_query("가" * 1000) == "가" * search.MAX_QUERY_LENGTH


def test_decomposed_hangul_is_normalised():
    decomposed = "\u1107\u1161\u11a8\u1112\u1162\u1109\u1165\u11ab"  # 박해선 as jamo (macOS)
    assert search.clean_query(decomposed) == "박해선"


# --- both databases agree on substring queries ---


@pytest.mark.parametrize(
    "query",
    [
        "kube",
        "KUBEFLOW",
        "파이썬",
        "박해",
        "pipe",
        "엔지니어링 입문",
        "scale",
        "jane",
        "& data",
        "at",
    ],
)
def test_substring_queries_find_exactly_the_sessions_that_contain_them(programme, query):
    def contains_every_word(session):
        fields = [session.title, session.subtitle, session.abstract]
        fields += [session.track.name] if session.track else []
        fields += [speaker.name for speaker in session.ordered_speakers]
        text = "\n".join(fields).lower()
        return all(word.lower() in text for word in query.split())

    sessions = search.search_sessions(query)
    everything = Session.objects.with_related()
    assert {session.pk for session in sessions} == {
        session.pk for session in everything if contains_every_word(session)
    }


# --- PostgreSQL: typos ---


@on_postgresql
def test_typo_still_finds_the_title(client, programme):
    assert sorted(found(get(client, q="Kubeflw"))["sessions"]) == [
        "Kubeflow in practice",
        "Kubeflow로 만드는 MLOps 파이프라인",
    ]


@on_postgresql
def test_typo_in_a_name_still_finds_the_speaker(client, programme):
    assert found(get(client, q="박해산"))["speakers"] == ["박해선 (pycon-kr-2025)"]
    assert found(get(client, q="Jane Kimm"))["speakers"] == [
        "Jane Kim (pycon-kr-2025)",
        "Jane Kim (europython-2025)",
    ]


@on_postgresql
def test_trigram_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE %s ORDER BY indexname",
            ["%_trgm"],
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "program_session_abstract_trgm",
            "program_session_subtitle_trgm",
            "program_session_title_trgm",
            "program_session_title_typo_trgm",
            "program_speaker_name_typo_trgm",
        ]


# --- a fixed number of queries, whatever the number of results ---


def make_results(conference, owner, size):
    track = TrackFactory(conference=conference, name="Quokka track")
    for number in range(size):
        speakers = [
            SpeakerFactory(conference=conference, name=f"Quokka speaker {number}"),
            SpeakerFactory(conference=conference, name=f"Other speaker {number}"),
        ]
        session = SessionFactory(
            conference=conference, title=f"Quokka {number}", track=track, speakers=speakers
        )
        NoteFactory(author=owner, session=session, body=f"quokka note {number}")


@pytest.mark.parametrize("size", [1, 3])
def test_overview_runs_a_fixed_number_of_queries(
    owner_client, owner, programme, size, django_assert_num_queries
):
    make_results(programme["pycon"], owner, size)
    # session and user; the conference; per group a count and a page; the sessions' speakers
    # and the speakers' sessions.
    with django_assert_num_queries(2 + 1 + 2 * 3 + 2):
        response = owner_client.get(
            reverse("public:search"), {"q": "quokka", "conference": "pycon-kr-2025"}
        )
    assert [group.count for group in response.context["groups"]] == [size, size, size]


@pytest.mark.parametrize("size", [1, 3])
def test_one_group_runs_a_fixed_number_of_queries(
    owner_client, owner, programme, size, django_assert_num_queries
):
    make_results(programme["pycon"], owner, size)
    # session and user; sessions: a count, a page, their speakers; the other two counted.
    with django_assert_num_queries(2 + 3 + 1 + 1):
        response = owner_client.get(reverse("public:search"), {"q": "quokka", "type": "sessions"})
    assert [len(group.hits) for group in response.context["groups"]] == [size, 0, 0]
