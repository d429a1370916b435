"""The public write-up page and who may see it."""

import pytest
from django.test import Client

from notes.models import WriteUp
from notes.writeups import services
from tests.support.factories import UserFactory
from tests.support.writeup_world import (
    PRIVATE_MARKER,
    PRIVATE_PHOTO_CAPTION,
    build_world,
    by_class,
    compose_url,
    detail_url,
    texts,
)

pytestmark = pytest.mark.django_db


def test_the_published_page_reads_like_a_post(client, owner):
    world = build_world(owner)
    response = client.get(detail_url(world.writeup))
    assert response.status_code == 200
    assert texts(response, "//h1") == ["파이콘 한국 2025 후기"]
    assert texts(response, by_class("post-lede")) == ['이틀의 기록: "따옴표"와 콜론: 도 있다']
    assert texts(response, "//article//h2[contains(@class, 'post-day-title')]") == [
        "Day 1 Aug. 15, 2025 (Fri)",
        "Day 2 Aug. 16, 2025 (Sat)",
    ]
    assert texts(response, "//article//h3") == [
        "발표 d1-morning (이서연, 정민준)",
        "발표 d1-afternoon (Hannah Becker)",
        "발표 d2-morning (박해선)",
    ]
    # Headings link to the session pages; the table of contents links to the headings.
    assert texts(response, "//nav[contains(@class, 'post-toc')]//a") == [
        "Day 1",
        "발표 d1-morning (이서연, 정민준)",
        "발표 d1-afternoon (Hannah Becker)",
        "Day 2",
        "발표 d2-morning (박해선)",
    ]
    html = response.content.decode()
    assert '<a href="/pycon-kr/sessions/talk-d1-morning/">' in html
    assert 'href="#session-talk-d1-morning"' in html
    assert 'id="session-talk-d1-morning"' in html
    # Times and dates in the conference's zone (Asia/Seoul), the author and the reading time.
    assert texts(response, by_class("post-entry-meta"))[0].startswith("10:00–10:40")
    byline = texts(response, by_class("post-byline"))[0]
    assert byline == "owner · Aug. 18, 2025 · 1 min read"
    assert texts(response, by_class("post-intro")) == ["들어가며 인트로."]
    assert texts(response, by_class("post-closing")) == ["마치며."]


def test_photos_are_figures_with_caption_and_credit(client, owner):
    world = build_world(owner)
    response = client.get(detail_url(world.writeup))
    # The cover is the slide photo: it heads the post and is not repeated in its session.
    assert texts(response, "//figure/figcaption") == ["가드레일 슬라이드 Image source: 발표 자료"]
    assert texts(response, f"{by_class('post-cover')}//figcaption") == [
        "가드레일 슬라이드 Image source: 발표 자료"
    ]
    writeup = world.writeup
    services.save_writeup(
        author=owner,
        conference=writeup.conference,
        title=writeup.title,
        summary=writeup.summary,
        intro=writeup.intro,
        closing=writeup.closing,
        cover_photo=None,
        base_version=writeup.version,
    )
    response = client.get(detail_url(world.writeup))
    assert texts(response, f"{by_class('post-entry')}//figcaption") == [
        "가드레일 슬라이드 Image source: 발표 자료"
    ]


def test_open_graph_and_twitter_cards_use_the_cover_photo(client, owner):
    world = build_world(owner)
    response = client.get(detail_url(world.writeup))
    html = response.content.decode()
    photo = world.photos["slide"]
    assert f'<meta property="og:image" content="http://testserver/photos/{photo.pk}/' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="파이콘 한국 2025 후기">' in html
    assert '<meta property="og:url" content="http://testserver/pycon-kr/writeups/owner/">' in html
    assert '<meta property="article:published_time" content="2025-08-18T12:00:00+00:00">' in html


def test_a_cover_made_private_later_is_not_shown(client, owner):
    world = build_world(owner)
    cover = world.photos["slide"]
    cover.visibility = "private"
    cover.save()
    response = client.get(detail_url(world.writeup))
    assert 'property="og:image"' not in response.content.decode()
    assert texts(response, by_class("post-cover")) == []


@pytest.mark.parametrize("status", [WriteUp.Status.DRAFT, WriteUp.Status.PUBLISHED])
def test_visibility_for_owner_other_user_and_anonymous(owner_client, other_client, status, owner):
    world = build_world(owner, status=status)
    url = detail_url(world.writeup)
    anonymous = Client()
    expected_public = 200 if status == WriteUp.Status.PUBLISHED else 404
    assert anonymous.get(url).status_code == expected_public
    assert other_client.get(url).status_code == expected_public
    response = owner_client.get(url)
    assert response.status_code == 200
    banner = texts(response, by_class("post-banner"))
    if status == WriteUp.Status.DRAFT:
        assert banner == [
            "Draft — preview. Only you can see this page until you publish it. Back to editing"
        ]
        assert '<meta name="robots" content="noindex">' in response.content.decode()
    else:
        assert banner == ["Edit your write-up"]


def test_an_unknown_author_or_conference_is_404(client, owner):
    world = build_world(owner)
    assert client.get("/pycon-kr/writeups/nobody/").status_code == 404
    assert client.get("/nothing-here/writeups/owner/").status_code == 404
    UserFactory(username="writes-nothing")
    assert client.get("/pycon-kr/writeups/writes-nothing/").status_code == 404
    assert world.writeup.pk


def test_a_unicode_conference_slug_works(client, owner):
    world = build_world(owner, slug="파이콘-2025")
    url = detail_url(world.writeup)
    assert url == "/%ED%8C%8C%EC%9D%B4%EC%BD%98-2025/writeups/owner/"
    assert client.get(url).status_code == 200
    assert client.get(compose_url(world.conference)).status_code == 302  # to sign in


def test_nothing_private_is_on_the_public_page(client, owner):
    world = build_world(owner)
    html = client.get(detail_url(world.writeup)).content.decode()
    assert PRIVATE_MARKER not in html
    assert PRIVATE_PHOTO_CAPTION not in html
    assert f"/photos/{world.photos['private'].pk}/" not in html
    # Nor anyone else's notes and photos on the same sessions.
    assert "SOMEONE-NOTE" not in html
    assert "SOMEONE-PHOTO" not in html


def test_the_page_runs_a_fixed_number_of_queries(client, owner, django_assert_num_queries):
    small = build_world(owner)
    big = build_world(UserFactory(username="big"), extra_sessions=6, slug="big-conf")
    # the conference's stamp, write-up (with author, conference, cover), notes, speakers, photos
    with django_assert_num_queries(5):
        response = client.get(detail_url(small.writeup))
    assert len(texts(response, "//article//h3")) == 3
    with django_assert_num_queries(5):
        response = client.get(detail_url(big.writeup))
    assert len(texts(response, "//article//h3")) == 9
    assert len(texts(response, "//article//figure")) == 7  # the cover and six session photos


def test_the_authors_view_of_a_draft_runs_a_fixed_number_of_queries(
    owner_client, owner, django_assert_num_queries
):
    world = build_world(owner, status=WriteUp.Status.DRAFT, extra_sessions=4)
    # the conference's stamp, the session, the user, then the same four
    with django_assert_num_queries(7):
        assert owner_client.get(detail_url(world.writeup)).status_code == 200


def test_unpublishing_hides_the_page_again(client, owner):
    world = build_world(owner)
    services.unpublish(writeup=world.writeup)
    assert client.get(detail_url(world.writeup)).status_code == 404


def test_a_notes_own_headings_sit_below_the_session_heading(client, owner):
    world = build_world(owner)
    response = client.get(detail_url(world.writeup))
    # The day 2 note says "## 요점": below the post's h2 (day) and h3 (session).
    assert texts(response, "//article//h5") == ["요점"]
    assert texts(response, "//article//h2[not(@id='post-toc-title')]") == [
        "Day 1 Aug. 15, 2025 (Fri)",
        "Day 2 Aug. 16, 2025 (Sat)",
    ]
