"""The API's limits, read by the request models and by the CLI's checks before anything is sent
(so a sheet that passes `ss bulk --dry-run` is not refused by the server for the same reason).

Pure data, no pydantic.
"""

from __future__ import annotations

MAX_TITLE_LENGTH = 300
MAX_SCRIPT_LENGTH = 50_000  # characters of narration in one video request
MAX_SCRIPT_CONTENT_LENGTH = 100_000  # a saved script
MIN_TOPIC_LENGTH = 3
MAX_TOPIC_LENGTH = 300
MAX_MEDIA_FILES = 200  # per video
MAX_BULK_ROWS = 5000
MIN_DURATION = 15  # seconds of narration a script is written for, on every platform
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$"  # BCP 47, as far as the engine uses it: en, pt-BR
