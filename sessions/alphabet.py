"""Index letters for name lists: A to Z for Latin names, ㄱ ㄴ ㄷ … for Hangul names."""

import unicodedata
from itertools import groupby

HANGUL_SYLLABLES = range(0xAC00, 0xD7A4)
SYLLABLES_PER_INITIAL = 21 * 28  # vowels × finals
# The 19 initial consonants in syllable order. Doubled ones file under their single consonant,
# as Korean indexes do, so the jump bar has the 14 familiar letters.
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
SINGLE = {"ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ"}
HANGUL_LETTERS = "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ"
OTHER = "#"
# Latin letters that Unicode does not decompose into a base letter and an accent.
LATIN_FOLD = str.maketrans("ØøÆæŒœŁłĐđÐðÞþß", "OOAAOOLLDDDDTTS")


def index_letter(name: str) -> str:
    """ "Ada" → "A", "Émile" → "E", "박해선" → "ㅂ", "쌍용" → "ㅅ", "42" → "#"."""
    name = name.strip()
    if not name:
        return OTHER
    char = name[0]
    if ord(char) in HANGUL_SYLLABLES:
        initial = INITIALS[(ord(char) - HANGUL_SYLLABLES.start) // SYLLABLES_PER_INITIAL]
        return SINGLE.get(initial, initial)
    if char in INITIALS:
        return SINGLE.get(char, char)
    base = unicodedata.normalize("NFKD", char.translate(LATIN_FOLD))[0]
    if base.isascii() and base.isalpha():
        return base.upper()
    if char.isalpha():
        return char.upper()
    return OTHER


def letter_rank(letter: str) -> tuple:
    """Latin first, then Hangul in ㄱㄴㄷ order, then other scripts, then the rest."""
    if letter.isascii() and letter.isalpha():
        return (0, letter)
    if letter in HANGUL_LETTERS:
        return (1, HANGUL_LETTERS.index(letter))
    if letter == OTHER:
        return (3, letter)
    return (2, letter)


def name_key(name: str) -> str:
    # NFKD puts "É" next to "E"; Hangul decomposes into jamo, which keeps syllable order.
    return unicodedata.normalize("NFKD", name.strip()).casefold()


def by_letter(objects, name=lambda obj: obj.name) -> list[tuple[str, list]]:
    """Objects sorted by name and grouped under their index letter."""
    keyed = sorted(
        ((index_letter(name(obj)), name_key(name(obj)), obj) for obj in objects),
        key=lambda entry: (letter_rank(entry[0]), entry[1]),
    )
    return [
        (letter, [obj for _, _, obj in group]) for letter, group in groupby(keyed, lambda e: e[0])
    ]
