"""Publishing platforms and their limits, shared by client-side validation and the engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Platform = Literal["tiktok", "youtube_shorts", "instagram_reels", "facebook_reels", "youtube", "linkedin"]


@dataclass(frozen=True)
class PlatformSpec:
    name: str
    label: str
    short_form: bool
    min_duration: int
    max_duration: int
    hashtag_count: int


# Short-form platforms take 15-180 s scripts (the seed's validation rule); long-form ones allow more.
PLATFORMS: dict[str, PlatformSpec] = {
    spec.name: spec
    for spec in (
        PlatformSpec("tiktok", "TikTok", True, 15, 180, 5),
        PlatformSpec("youtube_shorts", "YouTube Shorts", True, 15, 180, 3),
        PlatformSpec("instagram_reels", "Instagram Reels", True, 15, 180, 8),
        PlatformSpec("facebook_reels", "Facebook Reels", True, 15, 180, 3),
        PlatformSpec("youtube", "YouTube", False, 15, 1800, 3),
        PlatformSpec("linkedin", "LinkedIn", False, 15, 600, 3),
    )
}
