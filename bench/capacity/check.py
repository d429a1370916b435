"""After a run: every note as its note-taker was last told it was saved, and every photo whole.

    DATABASE_URL=… MEDIA_ROOT=… python bench/capacity/check.py acks.json

Prints one line per problem and exits 1 when there is any (0 when none). The settings come from
the environment, as the app servers had them (bench/capacity/stacks.py).
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    import django

    django.setup()
    from ops.capacity import check_acknowledged, check_photos

    acks = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    problems = check_acknowledged(acks) + check_photos()
    for line in problems:
        print(line)
    raise SystemExit(1 if problems else 0)


if __name__ == "__main__":
    main()
