"""The "script" stage of a video asked for with a topic (`GenerateVideoRequest.write`): the engine
writes the script as the first stage of the video's own job, so that in a batch writing overlaps
the other videos' renders.

The request was checked completely when the video was created (`videos.checked_script_request`),
so the stage fails only for what only the writer can tell. It saves the script and makes it the
video's in one unit of work, once: an attempt run again after a crash finds it saved and renders it.

Writing is mostly waiting for an LLM, and a render worker that waits renders nothing: so when a
job is queued, its script starts being written at once in a small pool of its own (`ahead`), and
the job's stage takes that writing's outcome (or waits for it) instead of writing again. A batch
then takes its render time plus about one script's, not plus every script's.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import update

from ...contract.scripts import BUILTIN_PROVIDER, GenerateScriptRequest
from ..errors import NotFound
from ..jobs.tasks import PENDING_SCRIPT
from ..store.db import Database
from ..store.models import Job, Video, new_id
from ..writer import BuiltinWriter, ScriptWriter
from .scripts import choose_writer, script_row, write_draft, writer_request
from .videos import check_length, script_scenes

# Expected seconds to write a script (the "script" stage's share of a job's progress): the built-in
# writer composes in milliseconds, an LLM answers a short script in several seconds.
WRITING_SECONDS = {BUILTIN_PROVIDER: 0.1, "llm": 8.0}
# Seconds of rendering per second of narration on two cores (as batch/plan.py, from bench/render.py).
RENDER_SECONDS_PER_SECOND = {"draft": 1 / 8, "720p": 1 / 4, "standard": 1 / 2, "high": 1 / 0.6}
WRITE_AHEAD = 4  # scripts written at once ahead of their jobs (calls to an LLM: waiting, not CPU)


@dataclass
class VideoScripts:
    """The job runtime's `ScriptStage`: writes, saves and attaches the script of a topic video."""

    db: Database
    data_dir: Path
    builtin: ScriptWriter = field(default_factory=BuiltinWriter)
    _writing: dict[str, Future[None]] = field(default_factory=dict)  # video id → writing under way
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _slots: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(WRITE_AHEAD))

    def ahead(self, job_id: str) -> None:
        """Start writing the script of the job's video now (if it has one to write), beside the
        render workers; the job's stage takes the outcome."""
        with self.db.session() as session:
            job = session.get(Job, job_id)
            video_id = job.video_id if job is not None else None
        if video_id is None or self.share(video_id) == 0.0:
            return
        with self._lock:
            if video_id in self._writing:
                return
            future: Future[None] = Future()
            self._writing[video_id] = future
        threading.Thread(
            target=self._write_into, args=(video_id, future), name=f"script-{video_id}", daemon=True
        ).start()

    def _write_into(self, video_id: str, future: Future[None]) -> None:
        with self._slots:
            try:
                self._write(video_id)
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result(None)
                with self._lock:  # written and saved: the job finds the script, not this
                    if self._writing.get(video_id) is future:
                        del self._writing[video_id]

    def share(self, video_id: str) -> float:
        with self.db.session() as session:
            video = session.get(Video, video_id)
            if video is None or video.script_id is not None or PENDING_SCRIPT not in video.spec:
                return 0.0
            request = GenerateScriptRequest.model_validate(video.spec[PENDING_SCRIPT]["script"])
            quality = str(video.spec.get("quality", "standard"))
        writer = script_writer(self.data_dir, self.builtin, request)
        writing = WRITING_SECONDS[BUILTIN_PROVIDER if writer is self.builtin else "llm"]
        rendering = request.duration * RENDER_SECONDS_PER_SECOND.get(quality, 1.0)
        return round(writing / (writing + rendering), 3)

    def write(self, video_id: str) -> None:
        """The outcome of the writing `ahead` started (waited for), or the script written now."""
        with self._lock:
            future = self._writing.pop(video_id, None)
        if future is not None:
            future.result()
        else:
            self._write(video_id)

    def _write(self, video_id: str) -> None:
        from ..render.request import RenderRequest

        with self.db.session() as session:
            video = session.get(Video, video_id)
            if video is None:
                raise NotFound(f"video {video_id} no longer exists")
            if video.script_id is not None or PENDING_SCRIPT not in video.spec:
                return
            spec = dict(video.spec)
            user_id = video.user_id
        pending = spec.pop(PENDING_SCRIPT)
        request = GenerateScriptRequest.model_validate(pending["script"])
        wanted = writer_request(request)
        draft = write_draft(script_writer(self.data_dir, self.builtin, request), wanted)
        render = RenderRequest.model_validate(spec)
        check_length(draft.content, render.language, render.platform)
        row = script_row(user_id, wanted, draft, script_id=new_id("scr"))
        sections = dict(row.sections)
        scenes = script_scenes(draft.content, render.language, render.media, sections)
        title = pending.get("title") or draft.title
        with self.db.session() as session:
            claimed = session.execute(
                update(Video)
                .where(Video.id == video_id, Video.script_id.is_(None))
                .values(
                    script_id=row.id,
                    title=title,
                    spec={**spec, "script": draft.content, "title": title, PENDING_SCRIPT: pending},
                    scenes=[
                        {"text": s.text, "media": str(s.media) if s.media else None, "hint": s.hint}
                        for s in scenes
                    ],
                )
            )
            if claimed.rowcount == 1:  # type: ignore[attr-defined]
                session.add(row)  # else an earlier attempt's script is the video's: this one is dropped


def script_writer(data_dir: Path, builtin: ScriptWriter, request: GenerateScriptRequest) -> ScriptWriter:
    return choose_writer(builtin, data_dir, request.provider, template=request.template_id is not None)
