"""Following a job: Socket.IO events first, polling when the socket is unavailable or drops.

Both paths produce the same contract events in sequence order, ending with exactly one final
event (completed, failed or cancelled), so a caller never needs to know which path it got.
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..contract import Video
from ..contract.events import EVENT_MODELS, FINAL_EVENTS, JobEvent, JobState, job_event

if TYPE_CHECKING:
    from ._client import ScriptSensei

logger = logging.getLogger("scriptsensei.realtime")
POLL_INTERVAL = 1.0


class WaitTimeout(Exception):
    """The job was still running when the caller's timeout expired."""


def event_from_video(video: Video) -> tuple[str, JobEvent]:
    """The event a subscriber would have received last, derived from a polled video."""
    return job_event(JobState.of_video(video))


def follow_job(
    api: ScriptSensei, video_id: str, *, timeout: float | None = None, use_socket: bool = True
) -> Iterator[tuple[str, JobEvent]]:
    """Yield (event name, event) for the video's current job until a final event; raise WaitTimeout."""
    deadline = None if timeout is None else time.monotonic() + timeout
    video = api.videos.get(video_id)
    last_seq = -1
    name, event = event_from_video(video)
    if name in FINAL_EVENTS:
        yield name, event
        return
    socket = _open_socket(api, video.job_id) if use_socket else None
    try:
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise WaitTimeout(f"video {video_id} is still {video.status} after {timeout:.0f} s")
            wait = POLL_INTERVAL if remaining is None else min(POLL_INTERVAL, remaining)
            if socket is not None and socket.connected:
                try:
                    name, event = socket.events.get(timeout=wait)
                except queue.Empty:
                    continue
            else:
                if socket is not None:
                    logger.info("socket lost; polling")
                    socket = None
                time.sleep(wait)
                video = api.videos.get(video_id)
                name, event = event_from_video(video)
            if event.seq <= last_seq and name not in FINAL_EVENTS:
                continue  # an older state crossing a newer one
            last_seq = max(last_seq, event.seq)
            yield name, event
            if name in FINAL_EVENTS:
                return
    finally:
        if socket is not None:
            socket.close()


class _Socket:
    def __init__(self, client: Any) -> None:
        self.client = client
        self.events: queue.Queue[tuple[str, JobEvent]] = queue.Queue()

    @property
    def connected(self) -> bool:
        return bool(self.client.connected)

    def close(self) -> None:
        _disconnect(self.client)


def subscribe(
    api: ScriptSensei,
    event: str,
    payload: dict[str, Any],
    handlers: dict[str, Any],
    *,
    reconnection: bool = False,
) -> Any:
    """A Socket.IO client connected with the API token, `handlers` registered, subscribed with
    `event`/`payload`; None when Socket.IO is unavailable or the subscription is refused."""
    try:
        import socketio
    except ImportError:
        return None
    client = socketio.Client(reconnection=reconnection, logger=False, engineio_logger=False)
    for name, handler in handlers.items():
        client.on(name, handler)
    try:
        client.connect(
            api.base_url,
            auth={"token": api.http.credentials.access_token or ""},
            socketio_path="socket.io",
            wait_timeout=5,
        )
        answer = client.call(event, payload, timeout=10)
    except Exception as exc:  # any socket trouble: polling gives the same answers
        logger.info("Socket.IO unavailable (%s); polling instead", exc)
        _disconnect(client)
        return None
    if not isinstance(answer, dict) or not answer.get("ok"):
        _disconnect(client)
        return None
    return client


def _disconnect(client: Any) -> None:
    try:
        client.disconnect()
    except Exception:  # closing a broken socket must not mask the caller's outcome
        logger.debug("socket close failed", exc_info=True)


def _open_socket(api: ScriptSensei, job_id: str) -> _Socket | None:
    """Subscribe to a job and queue its events."""
    events: queue.Queue[tuple[str, JobEvent]] = queue.Queue()

    def handler_for(name: str, model: type[JobEvent]) -> Any:
        def handler(data: Any) -> None:
            if isinstance(data, dict) and data.get("job_id") == job_id:
                events.put((name, model.model_validate(data)))

        return handler

    handlers = {name: handler_for(name, model) for name, model in EVENT_MODELS.items()}
    client = subscribe(api, "subscribe_to_job", {"job_id": job_id}, handlers)
    if client is None:
        return None
    socket = _Socket(client)
    socket.events = events
    return socket
