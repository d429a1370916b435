"""The demo conference's content: modelled on PyCon Korea 2025, with a demo attendee's notes,
stars, photos and write-up (ops/demo.py puts it in the database).

Four talk titles are real ("선 넘지 않는 윤리적인 LLM 솔루션 구축", "Python과 함께하는 AI 플랫폼",
"파이썬으로 엮는 나만의 레거시" by 박해선, "개발이 즐거워진다: …"); the venue, rooms, times, the
other sessions and speakers are illustrative, and the conference description says so. The tables
keep one row (or one record over a few lines) each: the formatter would put every field on a line
of its own.
"""

from datetime import time

from notes.models import Visibility

DESCRIPTION = """\
파이콘 한국 2025 — the Korean Python community's yearly conference, in Seoul.

*This is hugi's demo data. Four talk titles are taken from the real PyCon Korea 2025 programme;
the venue, rooms, times, the other sessions and the speakers (except 박해선) are illustrative.*
"""

ROOMS = ["101호", "102호", "103호", "104호"]
TRACKS = [
    ("AI · ML", "ai-ml", "#7c3aed"),
    ("Web", "web", "#0284c7"),
    ("Data", "data", "#059669"),
    ("Python Core", "core", "#d97706"),
    ("Community", "community", "#db2777"),
]

# Talk slots after the keynote: (start, minutes).
SLOTS = [
    (time(11, 0), 40),
    (time(11, 50), 40),
    (time(13, 30), 40),
    (time(14, 20), 40),
    (time(15, 30), 40),
    (time(16, 20), 40),
]

# (title, speaker, affiliation, track slug, language, level, abstract)
DAY1_TALKS = [
    ("선 넘지 않는 윤리적인 LLM 솔루션 구축", "이서연", "illustrative", "ai-ml", "ko", "intermediate",
     "LLM 기반 서비스를 만들 때 개인정보, 편향, 환각을 다루는 가드레일을 파이썬으로 설계하는 방법."),
    ("Python과 함께하는 AI 플랫폼", "정민준", "illustrative", "ai-ml", "ko", "intermediate",
     "모델 학습부터 서빙까지, 사내 AI 플랫폼을 파이썬 생태계로 묶어 낸 경험."),
    ("Django 6 and the async admin we always wanted", "Hannah Becker", "illustrative", "web", "en",
     "intermediate", "What changed in Django 6 for people who live in the admin, and what is next."),
    ("pandas 없이 데이터 분석하기: Polars 입문", "박지호", "illustrative", "data", "ko", "beginner",
     "Polars의 lazy API로 같은 분석을 더 빠르게, 더 적은 메모리로."),
    ("Free-threaded CPython in production", "Marco Rossi", "illustrative", "core", "en", "advanced",
     "What we measured when we turned the GIL off for a real service."),
    ("우리 동네 파이썬 스터디 10년", "최유나", "illustrative", "community", "ko", "beginner",
     "작은 스터디 모임이 지역 커뮤니티가 되기까지."),
    ("타입 힌트로 레거시 코드 길들이기", "한도윤", "illustrative", "core", "ko", "intermediate",
     "mypy와 pyright를 10만 줄 코드베이스에 점진적으로 도입한 이야기."),
    ("HTMX와 Django로 SPA 없이 빠른 화면 만들기", "오세린", "illustrative", "web", "ko",
     "beginner", "서버 렌더링과 부분 갱신으로 충분한 화면들."),
    ("Vector search with PostgreSQL and pgvector", "Aiko Tanaka", "illustrative", "data", "en",
     "intermediate", "Embeddings next to your relational data, and when that is enough."),
    ("Kubeflow 파이프라인 운영기", "강태윤", "illustrative", "ai-ml", "ko", "advanced",
     "Kubeflow 위에서 매일 도는 학습 파이프라인 200개를 관리하며 배운 것들."),
    ("asyncio 디버깅 실전", "윤하늘", "illustrative", "core", "ko", "advanced",
     "멈춘 이벤트 루프, 사라진 태스크, 새는 커넥션을 찾는 법."),
    ("첫 오픈소스 기여, 어디서부터?", "임수아", "illustrative", "community", "ko", "beginner",
     "이슈 고르기부터 첫 PR이 머지되기까지."),
]  # fmt: skip
DAY2_TALKS = [
    ("파이썬으로 엮는 나만의 레거시", "박해선", "", "core", "ko", "intermediate",
     "오래된 코드와 도구를 파이썬으로 이어 붙이며 나만의 작업 환경을 만들어 온 이야기."),
    ("개발이 즐거워진다: 생성형 AI와 컨테이너로 보다 집중하는 파이썬 개발", "김도현",
     "illustrative", "ai-ml", "ko", "beginner",
     "생성형 AI 도구와 개발 컨테이너로 반복 작업을 줄이고 문제에 집중하는 방법."),
    ("Testing Django with real browsers", "Sofia Lindqvist", "illustrative", "web", "en",
     "intermediate", "Playwright, pytest and a real database: fast enough, and worth it."),
    ("DuckDB로 노트북 한 대에서 1억 행 다루기", "서지민", "illustrative", "data", "ko",
     "intermediate", "로컬 분석의 한계를 넓히는 임베디드 OLAP."),
    ("The Python packaging story in 2025", "Daniel Okafor", "illustrative", "core", "en",
     "beginner", "uv, lock files and why your CI got faster."),
    ("파이콘 준비위원회는 무슨 일을 하나요", "조예린", "illustrative", "community", "ko",
     "beginner", "1년 동안의 준비 과정을 숫자로 돌아봅니다."),
    ("RAG 시스템 평가, 감으로 하지 않기", "배준서", "illustrative", "ai-ml", "ko", "advanced",
     "검색 품질과 답변 품질을 나누어 측정하는 평가 파이프라인."),
    ("Django REST framework에서 Ninja로 옮기며", "신가은", "illustrative", "web", "ko",
     "intermediate", "타입 힌트 기반 API로 옮긴 6개월의 기록."),
    ("Streaming data with Python and Kafka", "Lucas Moreau", "illustrative", "data", "en",
     "intermediate", "Exactly-once is a lie; here is what we do instead."),
    ("CPython 인터프리터 들여다보기", "문재현", "illustrative", "core", "ko", "advanced",
     "바이트코드와 specializing interpreter가 우리 코드를 빠르게 만드는 방식."),
    ("비전공자의 파이썬 입문 3년", "홍다인", "illustrative", "community", "ko", "beginner",
     "회계팀에서 데이터 엔지니어가 되기까지."),
    ("Observability for Python services", "Priya Natarajan", "illustrative", "web", "en",
     "intermediate", "OpenTelemetry traces that actually help at 3 a.m."),
]  # fmt: skip
# Afternoon talks, workshops in 104호: all illustrative.
MORE_TALKS = [
    [("FastAPI 서비스의 느린 엔드포인트 찾기", "노승우", "web", "intermediate"),
     ("Jupyter에서 프로덕션까지: 노트북 코드 정리법", "구하린", "data", "beginner"),
     ("Writing C extensions in Rust with PyO3", "Tom Fischer", "core", "advanced"),
     ("LLM 에이전트에 도구 쥐여 주기", "황보민", "ai-ml", "intermediate"),
     ("Python으로 만드는 사내 슬랙 봇", "유재원", "community", "beginner"),
     ("pytest 플러그인 직접 만들기", "남궁솔", "core", "intermediate")],
    [("Django 템플릿 성능, 어디까지 끌어올릴 수 있나", "류현우", "web", "advanced"),
     ("지리 데이터 분석: GeoPandas 실전", "전수빈", "data", "intermediate"),
     ("Pattern matching in real code", "Grace Liu", "core", "intermediate"),
     ("작은 언어 모델 파인튜닝 입문", "송지안", "ai-ml", "beginner"),
     ("PyLadies Seoul 이야기", "권나래", "community", "beginner"),
     ("Sans-I/O로 프로토콜 라이브러리 설계하기", "안태호", "core", "advanced")],
]  # fmt: skip
WORKSHOPS = [
    [("Workshop: 처음 만드는 Django 웹 서비스", "web"), ("Workshop: pandas로 공공데이터 분석", "data")],
    [("Workshop: LLM 앱 만들기 핸즈온", "ai-ml"), ("Workshop: 오픈소스 스프린트 준비", "community")],
]  # fmt: skip
KEYNOTES = [
    ("Keynote: 파이썬 커뮤니티의 다음 10년", "장민서", "illustrative"),
    (
        "Keynote: What I learned maintaining a Python library for 15 years",
        "Eva Novak",
        "illustrative",
    ),
]

NOTES = [
    # (title, visibility, body)
    ("선 넘지 않는 윤리적인 LLM 솔루션 구축", Visibility.PUBLIC,
     "가드레일을 **입력, 생성, 출력** 세 단계로 나눠서 보는 관점이 좋았다.\n\n"
     "- 개인정보는 입력 단계에서 마스킹하고 로그에도 남기지 않는다\n"
     "- 출력 검증은 규칙 기반 + 작은 분류 모델 조합\n"
     "- 평가 셋을 먼저 만들고 프롬프트를 고친다\n\n"
     "> 모델이 할 수 있는 일보다, 하면 안 되는 일을 먼저 정하라.\n\n"
     "회사에서 쓰는 챗봇에도 출력 검증 단계를 추가해 봐야겠다."),
    ("Python과 함께하는 AI 플랫폼", Visibility.PUBLIC,
     "학습·서빙·모니터링을 한 플랫폼으로 묶으면서 팀 간 인터페이스를 **파이썬 패키지**로 "
     "정의했다는 점이 인상적이었다. 내부 SDK를 버전 관리하는 방법은 질문 시간에 자세히 "
     "들었다: 모델 메타데이터를 pydantic 모델로 고정."),
    ("Kubeflow 파이프라인 운영기", Visibility.PRIVATE,
     "우리 팀 파이프라인 리뷰할 때 참고. 캐시 키 설계 부분 다시 보기 — 슬라이드 23쪽.\n"
     "발표자에게 메일로 질문할 것: 실패한 스텝 재시도 정책."),
    ("파이썬으로 엮는 나만의 레거시", Visibility.PUBLIC,
     "박해선 님 발표. 오래된 도구를 버리지 않고 **파이썬으로 이어 붙여** 쓰는 이야기가 "
     "이번 파이콘에서 제일 공감됐다.\n\n"
     "1. 작은 스크립트부터 시작한다\n2. 입출력을 파일로 고정해 두면 나중에 바꾸기 쉽다\n"
     "3. 문서는 코드 옆에\n\n발표 자료가 공개되면 링크를 추가하자."),
    ("개발이 즐거워진다: 생성형 AI와 컨테이너로 보다 집중하는 파이썬 개발", Visibility.PUBLIC,
     "dev container 설정 하나로 팀원 모두가 같은 환경을 쓰게 한 사례. 생성형 AI는 "
     "테스트 초안과 리팩터링 제안에 쓰고, 최종 판단은 사람이 한다는 원칙이 좋았다."),
    ("Testing Django with real browsers", Visibility.PRIVATE,
     "Try Playwright against our staging admin. Question: how do they keep browser tests "
     "under five minutes in CI? Answer: one browser per session, contexts per test."),
]  # fmt: skip

STARRED = [
    "선 넘지 않는 윤리적인 LLM 솔루션 구축",
    "파이썬으로 엮는 나만의 레거시",
    "Kubeflow 파이프라인 운영기",
    "Testing Django with real browsers",
    "개발이 즐거워진다: 생성형 AI와 컨테이너로 보다 집중하는 파이썬 개발",
]
# (session title, caption, visibility, the slide's colour)
PHOTOS = [
    ("선 넘지 않는 윤리적인 LLM 솔루션 구축", "가드레일 세 단계 슬라이드", Visibility.PUBLIC, "#7c3aed"),
    ("파이썬으로 엮는 나만의 레거시", "작은 스크립트부터 시작하기", Visibility.PUBLIC, "#d97706"),
    ("Kubeflow 파이프라인 운영기", "캐시 키 설계 (비공개 메모용)", Visibility.PRIVATE, "#7c3aed"),
]  # fmt: skip

INTRO = """\
올해도 파이콘 한국에 다녀왔다. 이틀 동안 들은 발표 중에서 기억에 남는 것들을, 발표를 들으며
hugi에 적어 둔 메모를 바탕으로 정리한다.
"""
CLOSING = """\
내년에는 발표자로 참여해 보고 싶다. 준비해 주신 분들, 발표해 주신 분들 모두 고맙습니다!
"""
