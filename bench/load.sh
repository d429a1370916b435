#!/usr/bin/env bash
# Load on the public pages: gunicorn (one worker per core) on 127.0.0.1 with the demo data, and
# wrk against each page for a bounded time. Reports requests/s, p99 latency and the number of
# non-2xx answers per page (which must be zero; the script exits non-zero otherwise).
#
#   bench/load.sh                      # 10 s per page, 16 connections
#   LOAD_SECONDS=5 LOAD_CONNECTIONS=32 bench/load.sh
#
# Production settings (DEBUG=false, a throwaway SECRET_KEY, collected static files) on a
# throwaway SQLite database and media folder unless DATABASE_URL is set. Loopback only.
# Results: bench/results/load.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_PAGE=${LOAD_SECONDS:-10}
CONNECTIONS=${LOAD_CONNECTIONS:-16}
WORKERS=$(nproc)
RESULTS=bench/results/load.txt
WORK=$(mktemp -d -t hugi-load-XXXXXX)
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

PORT=$(uv run python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DEBUG=false
export SECRET_KEY
SECRET_KEY=$(uv run python -c 'import secrets; print(secrets.token_urlsafe(64))')
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=false
export DATABASE_URL=${DATABASE_URL:-sqlite:///$WORK/load.sqlite3}
export MEDIA_ROOT=$WORK/media
export LOG_LEVEL=ERROR

echo "Preparing the demo data and static files…"
uv run python manage.py demo --no-serve >/dev/null
uv run python manage.py collectstatic --noinput -v 0

# The public pages of the demo conference, one of each kind.
uv run python manage.py shell -v 0 -c '
from urllib.parse import quote
from notes.models import WriteUp
from sessions.demo import SLUG
from sessions.models import Conference
conference = Conference.objects.get(slug=SLUG)
session = conference.sessions.filter(cancelled=False).exclude(abstract="").first()
speaker = conference.speakers.order_by("pk").first()
writeup = WriteUp.objects.published().filter(conference=conference).first()
word = session.title.split()[0]
pages = ["/", conference.get_absolute_url(), conference.days.first().get_absolute_url(),
         session.get_absolute_url(), f"/{SLUG}/speakers/", speaker.get_absolute_url(),
         f"/{SLUG}/schedule.json", "/search/?q=" + quote(word)]
if writeup:
    pages.append(f"/{SLUG}/writeups/{writeup.author.username}/")
print("\n".join(pages))
' >"$WORK/pages.txt"

echo "Starting gunicorn with $WORKERS workers on 127.0.0.1:$PORT…"
uv run gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --access-logfile /dev/null --error-logfile "$WORK/gunicorn.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/robots.txt" 2>/dev/null && break
  sleep 0.2
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/robots.txt"


{
  echo "hugi load test, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "gunicorn: $WORKERS sync workers ($(nproc) cores); wrk: 2 threads, $CONNECTIONS connections, ${SECONDS_PER_PAGE} s per page; DEBUG=false; database ${DATABASE_URL%%:*}"
  printf '%-52s %10s %9s %9s %9s %8s %7s\n' page "req/s" "p50 ms" "p99 ms" requests non-2xx errors
} | tee "$RESULTS"

failed=0
while read -r page; do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT$page"  # warm the caches; fails loudly on a 4xx/5xx
  line=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_PAGE}s" --timeout 10s -s bench/count.lua \
    "http://127.0.0.1:$PORT$page" | grep '^RESULT')
  read -r _ rps p50 p99 requests bad errors <<<"$line"
  shown=$(printf '%b' "${page//%/\\x}")  # Korean slugs readable, not %-encoded
  printf '%-52s %10s %9s %9s %9s %8s %7s\n' "$shown" "$rps" "$p50" "$p99" "$requests" "$bad" \
    "$errors" | tee -a "$RESULTS"
  if [ "$bad" != 0 ] || [ "$errors" != 0 ]; then failed=1; fi
done <"$WORK/pages.txt"

if [ "$failed" != 0 ]; then
  echo "FAILED: some answers were not 2xx (or sockets failed); see $WORK/gunicorn.log" | tee -a "$RESULTS"
  cp "$WORK/gunicorn.log" bench/results/load-gunicorn.log
  exit 1
fi
echo "All answers 2xx." | tee -a "$RESULTS"
