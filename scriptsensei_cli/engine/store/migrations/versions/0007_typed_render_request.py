"""videos.spec holds the typed render request's JSON

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 18:00:00

Before, `spec` was a hand-made dict: a custom voice under `voice_spec` and captions with `style`.
Now it is `RenderRequest.model_dump(mode="json")`: the resolved voice itself under `voice`, captions
with `name`. Rows are rewritten here, so the worker reads one shape only.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

VIDEOS = sa.table("videos", sa.column("id", sa.String), sa.column("spec", sa.JSON))


def typed_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The old dict as the typed request stores it (a spec already in the new shape is unchanged)."""
    spec = dict(spec)
    custom = spec.pop("voice_spec", None)
    if custom:
        spec["voice"] = {
            "id": custom["id"],
            "name": custom["name"],
            "language": custom["language"],
            "gender": custom["gender"],
            "provider": custom["provider"],
            "style": "custom",
            "quality": "",
            "model": custom["base"],
            "length_scale": custom["length_scale"],
            "pitch_semitones": custom["pitch_semitones"],
            "variant": custom.get("variant"),
            "preview": True,
        }
    captions = spec.get("captions")
    if isinstance(captions, dict) and "style" in captions:
        captions = dict(captions)
        captions["name"] = captions.pop("style")
        spec["captions"] = captions
    return spec


def upgrade() -> None:
    connection = op.get_bind()
    for video_id, spec in connection.execute(sa.select(VIDEOS.c.id, VIDEOS.c.spec)).all():
        if isinstance(spec, dict):
            typed = typed_spec(spec)
            if typed != spec:
                connection.execute(VIDEOS.update().where(VIDEOS.c.id == video_id).values(spec=typed))


def downgrade() -> None:
    connection = op.get_bind()
    for video_id, spec in connection.execute(sa.select(VIDEOS.c.id, VIDEOS.c.spec)).all():
        if not isinstance(spec, dict):
            continue
        old = dict(spec)
        voice = old.get("voice")
        if isinstance(voice, dict):
            old["voice"] = voice["id"]
            old["voice_spec"] = {
                "id": voice["id"],
                "base": voice["model"],
                "provider": voice["provider"],
                "language": voice["language"],
                "variant": voice.get("variant"),
                "length_scale": voice["length_scale"],
                "pitch_semitones": voice["pitch_semitones"],
                "name": voice["name"],
                "gender": voice["gender"],
            }
        captions = old.get("captions")
        if isinstance(captions, dict) and "name" in captions:
            captions = {("style" if k == "name" else k): v for k, v in captions.items() if k != "outline"}
            old["captions"] = captions
        connection.execute(VIDEOS.update().where(VIDEOS.c.id == video_id).values(spec=old))
