"""The speaker index (/<conf>/speakers/) and speaker pages (/<conf>/speakers/<speaker>/)."""

import pytest
from django.test import Client
from django.urls import reverse

from sessions.alphabet import by_letter, index_letter
from sessions.models import Session, Speaker
from tests.support.factories import ConferenceFactory, SessionFactory, SpeakerFactory, StarFactory
from tests.support.public_programme import build_programme, by_class, page, texts

pytestmark = pytest.mark.django_db


def speakers_url(conference):
    return reverse("public:speakers", kwargs={"conf": conference.slug})


def speaker_url(speaker):
    return reverse(
        "public:speaker", kwargs={"conf": speaker.conference.slug, "speaker": speaker.slug}
    )


@pytest.mark.parametrize(
    ("name", "letter"),
    [
        ("Ada Lovelace", "A"),
        ("émile", "E"),
        ("Øyvind", "O"),
        ("박해선", "ㅂ"),
        ("빠른손", "ㅂ"),  # ㅃ files under ㅂ
        ("쌍용", "ㅅ"),
        ("김", "ㄱ"),
        ("황보민", "ㅎ"),
        ("Дмитрий", "Д"),
        ("42 Crew", "#"),
        ("@handle", "#"),
        ("", "#"),
    ],
)
def test_index_letter(name, letter):
    assert index_letter(name) == letter


def test_names_sort_latin_then_hangul_in_dictionary_order():
    names = ["황보민", "bob", "Émile", "가은", "각하", "ada", "나래", "Zoë", "까치", "42", "Дима"]
    groups = by_letter(names, name=str)
    assert groups == [
        ("A", ["ada"]),
        ("B", ["bob"]),
        ("E", ["Émile"]),
        ("Z", ["Zoë"]),
        ("ㄱ", ["가은", "각하", "까치"]),
        ("ㄴ", ["나래"]),
        ("ㅎ", ["황보민"]),
        ("Д", ["Дима"]),
        ("#", ["42"]),
    ]


def test_speaker_index_groups_people_with_a_jump_bar(client):
    conference = ConferenceFactory(slug="kr")
    for name in ["박해선", "Aiko Tanaka", "김도현", "Ben", "배준서"]:
        SpeakerFactory(conference=conference, name=name)
    response = client.get(speakers_url(conference))
    assert response.status_code == 200
    assert texts(response, f"{by_class('jump-bar')}//a") == ["A", "B", "ㄱ", "ㅂ"]
    assert page(response).xpath(f"{by_class('jump-bar')}//a/@href") == [
        "#letter-1",
        "#letter-2",
        "#letter-3",
        "#letter-4",
    ]
    assert texts(response, by_class("letter")) == ["A", "B", "ㄱ", "ㅂ"]
    assert texts(response, by_class("speaker-name")) == [
        "Aiko Tanaka",
        "Ben",
        "김도현",
        "박해선",
        "배준서",
    ]
    # every jump link has its target
    for target in page(response).xpath(f"{by_class('jump-bar')}//a/@href"):
        assert page(response).xpath(f"//*[@id='{target[1:]}']")


def test_speaker_index_lists_each_persons_sessions(client):
    conference = build_programme(2)
    response = client.get(speakers_url(conference))
    talks = texts(response, f"{by_class('speaker-talks')}//a")
    assert talks == [
        "선 넘지 않는 윤리적인 LLM 솔루션 구축",  # Speaker 0b
        "Python과 함께하는 AI 플랫폼",  # Speaker 1b
        "선 넘지 않는 윤리적인 LLM 솔루션 구축",  # 발표자 0a
        "Python과 함께하는 AI 플랫폼",  # 발표자 1a
    ]
    assert page(response).xpath(f"{by_class('speaker-talks')}//a/@href")[:2] == [
        "/pycon-kr/sessions/talk-0/",
        "/pycon-kr/sessions/talk-1/",
    ]


def test_speaker_page_shows_bio_affiliation_links_and_sessions(client):
    conference = build_programme(1)
    speaker = Speaker.objects.get(slug="sp-0a")
    speaker.bio = "Builds *guardrails*."
    speaker.affiliation = "Hugi Labs"
    speaker.links = [
        {"title": "Blog", "url": "https://example.org/blog"},
        {"title": "Evil", "url": "javascript:alert(1)"},
    ]
    speaker.save()
    response = client.get(speaker_url(speaker))
    assert texts(response, "//h1") == ["발표자 0a"]
    assert texts(response, by_class("subtitle")) == ["Hugi Labs"]
    assert page(response).xpath("//main//section[contains(@class, 'prose')]//em/text()") == [
        "guardrails"
    ]
    assert page(response).xpath(f"{by_class('link-list')}//a/@href") == ["https://example.org/blog"]
    assert texts(response, by_class("s-title")) == ["선 넘지 않는 윤리적인 LLM 솔루션 구축"]
    assert texts(response, by_class("s-when")) == ["August 15 (Fri) 10:00–10:40 · 101호"]
    # the co-speaker is linked, the speaker themself is not
    assert page(response).xpath(f"{by_class('s-who')}//a/@href") == ["/pycon-kr/speakers/sp-0b/"]
    assert conference.slug == "pycon-kr"


def test_speaker_page_has_a_profile_card(client):
    build_programme(1)
    doc = page(client.get(speaker_url(Speaker.objects.get(slug="sp-0a"))))
    assert doc.xpath("//head/meta[@property='og:type']/@content") == ["profile"]
    assert doc.xpath("//head/meta[@property='og:title']/@content") == ["발표자 0a"]


def test_speaker_with_a_korean_slug(client):
    conference = ConferenceFactory(slug="kr")
    speaker = SpeakerFactory(conference=conference, name="박해선", slug="박해선")
    assert speaker_url(speaker) == "/kr/speakers/%EB%B0%95%ED%95%B4%EC%84%A0/"
    assert texts(client.get(speaker_url(speaker)), "//h1") == ["박해선"]


@pytest.mark.parametrize(
    "path", ["/pycon-kr/speakers/nobody/", "/elsewhere/speakers/sp-0a/", "/elsewhere/speakers/"]
)
def test_unknown_speakers_and_conferences_are_404(client, path):
    build_programme(1)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_speaker_index_runs_four_queries_whatever_its_size(client, django_assert_num_queries, size):
    conference = build_programme(size)
    # the conference's stamp, conference, speakers, their sessions
    with django_assert_num_queries(4):
        response = client.get(speakers_url(conference))
    assert len(texts(response, by_class("speaker-name"))) == 2 * size


@pytest.mark.parametrize("size", [1, 4])
def test_speaker_page_runs_four_queries_whatever_their_number_of_sessions(
    owner_client, owner, django_assert_num_queries, size
):
    conference = build_programme(1)
    speaker = Speaker.objects.get(slug="sp-0a")
    for index in range(size - 1):
        SessionFactory(
            conference=conference,
            day=conference.days.first(),
            room=conference.rooms.first(),
            slug=f"more-{index}",
            speakers=[speaker, SpeakerFactory(conference=conference)],
        )
    url = speaker_url(speaker)
    # the conference's stamp, speaker (with conference), sessions (with room, track, day),
    # their speakers
    with django_assert_num_queries(4):
        response = Client().get(url)
    assert len(texts(response, by_class("s-title"))) == size
    for session in Session.objects.filter(speakers=speaker):
        StarFactory(user=owner, session=session)
    # + session and user, + stars
    with django_assert_num_queries(7):
        response = owner_client.get(url)
    assert page(response).xpath("//form[@data-star-form]//button/@aria-pressed") == ["true"] * size


def test_speaker_index_lists_four_sessions_and_links_to_the_rest(client):
    conference = build_programme(1)
    speaker = Speaker.objects.get(slug="sp-0a")
    for index in range(5):
        SessionFactory(
            conference=conference,
            day=conference.days.first(),
            title=f"More {index}",
            room=conference.rooms.first(),
            speakers=[speaker],
        )
    response = client.get(speakers_url(conference))
    entry = page(response).xpath(f"//li[a[@href='{speaker_url(speaker)}']]")[0]
    listed = [" ".join(a.text_content().split()) for a in entry.xpath(".//ul//a")]
    assert len(listed) == 5
    assert listed[-1] == "and 2 more"
