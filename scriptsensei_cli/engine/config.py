"""Engine configuration: where data lives, which database, token lifetimes, who may sign up.

This module is the engine's only reader of the environment. `EngineConfig.from_env` reads it once,
when an engine starts; `live_env` is for the few settings read again on every use (see there).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

ENV_PREFIX = "SCRIPTSENSEI_"
EMBEDDED_USER_EMAIL = "local@localhost"
_OFF = {"0", "off", "false", "no"}


def _online_media_default() -> bool:
    """SCRIPTSENSEI_ONLINE_MEDIA, also for a configuration built in code (an embedding program, a
    test's engine): one variable keeps a whole process off the online media sources."""
    return os.environ.get(ENV_PREFIX + "ONLINE_MEDIA", "").strip().lower() not in _OFF


@dataclass
class EngineConfig:
    data_dir: Path
    database_url: str | None = None
    secret_key: str | None = None
    access_token_ttl: int = 15 * 60
    refresh_token_ttl: int = 30 * 24 * 3600
    signup_open: bool = False
    # Browser origins (scheme://host[:port]) that may call the API and Socket.IO from their pages;
    # none by default. SCRIPTSENSEI_CORS_ORIGINS, separated by commas.
    cors_origins: tuple[str, ...] = ()
    # Read media and music from local paths in requests: right when the engine runs on the user's own
    # machine (embedded), wrong for a shared server (it would read its own disk for anyone).
    allow_local_paths: bool = False
    workers: int | None = None  # renders at once in this process; None: by the machine's cores
    # Encoder threads per render (None: the cores shared among the renders at once), for several
    # worker processes on one host.
    render_threads: int | None = None
    # Scale-out (docs/scale-out.md): a Redis queue shared by API nodes and `ss worker` processes, and
    # Socket.IO fan-out through Redis, so any API node relays the events of any worker.
    queue_url: str | None = None  # None: a SQLite queue in the data dir
    events_url: str | None = None  # None: events stay in this process
    namespace: str = "scriptsensei"  # queue name and event channel: one cluster per namespace
    consume: bool = True  # this process renders (False: an API node only enqueues)
    # Outputs and media in S3-compatible object storage (engine/storage.py): `s3://bucket/prefix`;
    # None keeps them in the data dir. Credentials and region: boto3's own environment (AWS_*).
    storage_url: str | None = None
    s3_endpoint_url: str | None = None  # MinIO, R2, Ceph…; None: AWS
    # Uploads: media files and voice samples are refused (413) past these sizes, while streaming.
    max_upload_bytes: int = 500 * 1024 * 1024
    max_voice_sample_bytes: int = 50 * 1024 * 1024
    # Imports (`/content/import/*`): documents and fetched pages are refused (413) past this size.
    max_document_bytes: int = 20 * 1024 * 1024
    # Fetch URLs that resolve to loopback, private, link-local or other non-public addresses. Off by
    # default: a server fetching what its users name must not become a window into its own network.
    allow_private_urls: bool = False
    # Media: the user's own folders (searched offline), stock providers and an image generation service
    # (OpenAI-compatible), each enabled by its key. Keys stay out of reprs, logs and error messages.
    media_library: list[Path] = field(default_factory=list)
    pexels_api_key: str | None = field(default=None, repr=False)
    pixabay_api_key: str | None = field(default=None, repr=False)
    # Online stock sources (Pexels and Pixabay when keyed, Openverse and Wikimedia Commons without a
    # key): all off with SCRIPTSENSEI_ONLINE_MEDIA=off (air-gapped or private use); their base URLs
    # (proxies, stand-ins) in SCRIPTSENSEI_<PEXELS|PIXABAY|OPENVERSE|WIKIMEDIA>_URL, None: the real
    # ones. Non-commercial licences (CC BY-NC...) only with SCRIPTSENSEI_ALLOW_NONCOMMERCIAL_MEDIA=1.
    online_media: bool = field(default_factory=_online_media_default)
    allow_noncommercial_media: bool = False
    pexels_url: str | None = None
    pixabay_url: str | None = None
    openverse_url: str | None = None
    wikimedia_url: str | None = None
    image_api_url: str | None = None
    image_api_key: str | None = field(default=None, repr=False)
    image_model: str | None = None
    # Voice cloning by a provider (ElevenLabs' voice-add API); without it, voices are matched offline.
    elevenlabs_api_key: str | None = field(default=None, repr=False)
    # The first (admin) account of a server, created on its first start if both are set.
    admin_email: str | None = None
    admin_password: str | None = field(default=None, repr=False)
    # Embedded mode: a per-launch bearer secret that acts as the local user; never stored anywhere.
    embedded_token: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, data_dir: Path, **overrides: object) -> EngineConfig:
        """The configuration the environment gives, then `overrides` (those that are not None: an
        option a command was not given leaves the variable's value)."""
        env = os.environ
        config = cls(
            data_dir=data_dir,
            workers=int(env.get(ENV_PREFIX + "WORKERS") or 0) or None,
            render_threads=int(env.get(ENV_PREFIX + "RENDER_THREADS") or 0) or None,
            database_url=env.get(ENV_PREFIX + "DATABASE_URL") or None,
            secret_key=env.get(ENV_PREFIX + "SECRET_KEY") or None,
            signup_open=env.get(ENV_PREFIX + "SIGNUP", "").lower() in {"1", "open", "true", "yes"},
            cors_origins=tuple(
                origin.strip().rstrip("/")
                for origin in env.get(ENV_PREFIX + "CORS_ORIGINS", "").split(",")
                if origin.strip()
            ),
            media_library=[
                Path(p).expanduser() for p in env.get(ENV_PREFIX + "MEDIA_LIBRARY", "").split(os.pathsep) if p
            ],
            pexels_api_key=env.get(ENV_PREFIX + "PEXELS_API_KEY") or None,
            pixabay_api_key=env.get(ENV_PREFIX + "PIXABAY_API_KEY") or None,
            online_media=_online_media_default(),
            allow_noncommercial_media=env.get(ENV_PREFIX + "ALLOW_NONCOMMERCIAL_MEDIA", "").lower()
            in {"1", "true", "yes", "on"},
            pexels_url=env.get(ENV_PREFIX + "PEXELS_URL") or None,
            pixabay_url=env.get(ENV_PREFIX + "PIXABAY_URL") or None,
            openverse_url=env.get(ENV_PREFIX + "OPENVERSE_URL") or None,
            wikimedia_url=env.get(ENV_PREFIX + "WIKIMEDIA_URL") or None,
            image_api_url=env.get(ENV_PREFIX + "IMAGE_API_URL") or None,
            image_api_key=env.get(ENV_PREFIX + "IMAGE_API_KEY") or None,
            image_model=env.get(ENV_PREFIX + "IMAGE_MODEL") or None,
            elevenlabs_api_key=env.get(ENV_PREFIX + "ELEVENLABS_API_KEY") or None,
            allow_private_urls=env.get(ENV_PREFIX + "ALLOW_PRIVATE_URLS", "").lower() in {"1", "true", "yes"},
            queue_url=env.get(ENV_PREFIX + "QUEUE_URL") or None,
            events_url=env.get(ENV_PREFIX + "EVENTS_URL") or None,
            namespace=env.get(ENV_PREFIX + "NAMESPACE") or "scriptsensei",
            storage_url=env.get(ENV_PREFIX + "STORAGE_URL") or None,
            s3_endpoint_url=env.get(ENV_PREFIX + "S3_ENDPOINT_URL") or None,
            admin_email=env.get(ENV_PREFIX + "ADMIN_EMAIL") or None,
            admin_password=env.get(ENV_PREFIX + "ADMIN_PASSWORD") or None,
        )
        if env.get(ENV_PREFIX + "MAX_UPLOAD_MB"):
            config.max_upload_bytes = int(float(env[ENV_PREFIX + "MAX_UPLOAD_MB"]) * 1024 * 1024)
        for key, value in overrides.items():
            if value is not None:
                setattr(config, key, value)
        return config

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'scriptsensei.db'}"

    def resolved_secret_key(self) -> str:
        """The JWT signing key: configured, or generated once and kept in the data dir (mode 0600)."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret.key"
        try:
            self.secret_key = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            key = secrets.token_urlsafe(48)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(key)
            self.secret_key = key
        return self.secret_key


def live_env() -> dict[str, str]:
    """The SCRIPTSENSEI_* variables as they are now, for settings read on every use, not at start.

    The LLM providers are: their variables are named after them (SCRIPTSENSEI_<NAME>_API_KEY, _MODEL,
    _BASE_URL, _KIND), so no field can hold them all, and a key set while the engine runs (or by a
    test, with monkeypatch) counts from the next request. The YouTube trend collector's key and URL
    are read the same way.
    """
    return {name: value for name, value in os.environ.items() if name.startswith(ENV_PREFIX)}
