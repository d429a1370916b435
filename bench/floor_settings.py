"""Settings for bench/throughput.py: hugi's own, with one more page, the floor (floor_urls.py)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
