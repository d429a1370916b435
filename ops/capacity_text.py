"""Note text as attendees type it, in Korean and English, for the capacity benchmark.

Plain Python (no Django): the setup command writes earlier notes with it, and the Locust
note-takers (bench/capacity/locustfile.py) type with it, one burst at a time. A burst is what
someone types before pausing: a sentence or two, now and then a heading, a list item, a link or
a bit of code. A talk's note grows to 1-4 KB, the length of the notes in real write-ups
(PyCon Korea 후기 posts run 1-3 KB a talk).
"""

import random

ENGLISH = [
    "The speaker started with why the old design could not scale past one machine.",
    "Main point: measure before optimising, and keep the benchmark in the repository.",
    "They replaced the ORM loop with one query and a dict; 40x faster on the big table.",
    "Question from the floor about migrations on a live database: do them in two steps.",
    "Slides will be online after the talk, the link is on the session page.",
    "Demo worked the first time, which got a round of applause.",
    "Interesting: the cache is keyed by a version stamp, so nothing is ever deleted.",
    "Try `python -X importtime` on our startup, we load far too much.",
    "Read the paper again later, the proof of the lower bound went by fast.",
    "The hall is full; people are sitting on the stairs.",
    "Their CI runs the whole suite on SQLite and PostgreSQL in under five minutes.",
    "Takeaway: small PRs, one idea each, and a test that failed before the fix.",
]
KOREAN = [
    "발표자는 기존 구조가 한 대의 서버를 넘어서 확장되지 않은 이유부터 설명했다.",
    "핵심: 최적화 전에 먼저 측정하고, 벤치마크는 저장소에 함께 두자.",
    "ORM 반복문을 쿼리 하나와 딕셔너리로 바꿨더니 큰 테이블에서 40배 빨라졌다고 한다.",
    "운영 중인 데이터베이스의 마이그레이션 질문: 두 단계로 나눠서 하라는 답변.",
    "발표 자료는 세션 페이지에 올라온다고 함.",
    "데모가 한 번에 성공해서 박수가 나왔다.",
    "캐시 키에 버전 스탬프를 넣어서 지우는 일이 없다는 점이 인상적이었다.",
    "우리 서비스 시작 시간도 `python -X importtime`으로 재 봐야겠다.",
    "하한 증명 부분이 너무 빨리 지나가서 논문을 다시 읽어 볼 것.",
    "홀이 가득 차서 계단에 앉아서 듣는 사람도 많다.",
    "CI에서 SQLite와 PostgreSQL 양쪽으로 전체 테스트를 5분 안에 돌린다고.",
    "정리: 작은 PR, PR 하나에 아이디어 하나, 수정 전에 실패하던 테스트.",
]
HEADINGS = {"en": ["## Notes", "## Q&A", "## To try", "## Links"],
            "ko": ["## 메모", "## 질의응답", "## 해 볼 것", "## 링크"]}  # fmt: skip


def language_of(seed: int) -> str:
    """About half the attendees write in Korean, half in English (a PyCon Korea)."""
    return "ko" if seed % 2 == 0 else "en"


def burst(rng: random.Random, language: str) -> str:
    """One burst of typing, ending with a newline."""
    sentences = KOREAN if language == "ko" else ENGLISH
    roll = rng.random()
    if roll < 0.1:
        return f"\n{rng.choice(HEADINGS[language])}\n\n"
    if roll < 0.5:
        return f"- {rng.choice(sentences)}\n"
    if roll < 0.55:
        return "- <https://example.org/slides/" + str(rng.randrange(1000)) + ">\n"
    return " ".join(rng.sample(sentences, rng.choice((1, 2)))) + "\n"


def note(rng: random.Random, language: str, title: str, size: int) -> str:
    """A whole note of about size characters: a title line and bursts."""
    text = f"# {title}\n\n"
    while len(text) < size:
        text += burst(rng, language)
    return text
