#!/bin/sh
# Regenerates docs/pack-first-page.png (the README's picture): the demo MARAC on a fresh
# SQLite database in a temporary folder, its upcoming meeting's pack built through the
# domain service (marac.meetings.packs.request_pack), page 1 as PNG. Needs pdftoppm
# (Debian: poppler-utils). Run from the project folder: sh docs/pack-first-page.sh
set -e
PY=${PYTHON:-.venv/bin/python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DATABASE_URL="sqlite:///$tmp/demo.sqlite3" MEDIA_ROOT="$tmp/media" CELERY_BROKER_URL=""
$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo >/dev/null
$PY manage.py shell -v0 -c "
import shutil
from django.utils import timezone
from marac.meetings.models import Meeting
from marac.meetings.packs import request_pack
meeting = Meeting.objects.filter(date__gte=timezone.localdate()).order_by('date').first()
pack, _ = request_pack(meeting, by=meeting.chair)
pack.refresh_from_db()
assert pack.status == 'ready', pack.reason
with pack.pdf.open('rb') as source, open('$tmp/pack.pdf', 'wb') as target:
    shutil.copyfileobj(source, target)
" 2>/dev/null
pdftoppm -png -r 90 -f 1 -l 1 -singlefile "$tmp/pack.pdf" docs/pack-first-page
pdftotext -layout "$tmp/pack.pdf" "$tmp/pack.txt" && cp "$tmp/pack.pdf" "${KEEP_PDF:-/dev/null}" 2>/dev/null || true
echo "docs/pack-first-page.png written"
