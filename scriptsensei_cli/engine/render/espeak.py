"""eSpeak NG through ctypes: formant voices for every language it knows, offline.

The library and its data ship on PyPI in `espeakng-loader`. Its voices are robotic next to a neural
model (the registry labels them `basic`), but they speak more than a hundred languages, so a script
in Nepali or Amharic is narrated rather than refused.

eSpeak keeps global state (one current voice, one callback), so every call holds one process-wide
lock. Synthesis is fast (hundreds of times realtime), so the lock costs little.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_DONT_EXIT = 0x8000
POS_CHARACTER = 1
CHARS_UTF8 = 1
EVENT_LIST_TERMINATED = 0
EVENT_WORD = 1
PARAM_RATE = 1
DEFAULT_RATE_WPM = 175


class _Event(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),  # 1-based, in characters
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),  # milliseconds
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),
    )


class _Voice(ctypes.Structure):
    _fields_ = (
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),  # (priority byte, NUL-terminated tag) pairs, then a NUL
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    )


_Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass(frozen=True)
class EspeakLanguage:
    name: str  # "Hindi"
    identifier: str  # "inc/hi": what espeak_SetVoiceByName accepts as a file name
    languages: tuple[str, ...]  # ("hi",), ("cmn", "zh-cmn", "zh")


@dataclass
class EspeakSpeech:
    samples: np.ndarray  # float32 mono
    sample_rate: int
    # (first character, character count, seconds from the start): one per word espeak spoke
    words: list[tuple[int, int, float]]


class EspeakError(RuntimeError):
    pass


class Espeak:
    """The loaded library; use `espeak()` for the process-wide instance."""

    def __init__(self) -> None:
        import espeakng_loader

        self._lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self._lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
        self._lock = threading.Lock()
        self.sample_rate = int(
            self._lib.espeak_Initialize(
                AUDIO_OUTPUT_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), INITIALIZE_DONT_EXIT
            )
        )
        if self.sample_rate <= 0:
            raise EspeakError("eSpeak NG failed to initialise (is espeakng-loader's data intact?)")
        self._chunks: list[bytes] = []
        self._events: list[tuple[int, int, int]] = []
        self._callback = _Callback(self._on_audio)  # kept referenced: C holds the pointer
        self._lib.espeak_SetSynthCallback(self._callback)

    def _on_audio(
        self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: ctypes.Array[_Event]
    ) -> int:
        if count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        index = 0
        while events[index].type != EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == EVENT_WORD:
                self._events.append((event.text_position, event.length, event.audio_position))
            index += 1
        return 0

    def languages(self) -> list[EspeakLanguage]:
        with self._lock:
            entries = self._lib.espeak_ListVoices(None)
            found = []
            index = 0
            while entries[index]:
                voice = entries[index].contents
                found.append(
                    EspeakLanguage(
                        name=voice.name.decode(),
                        identifier=voice.identifier.decode(),
                        languages=_language_tags(voice.languages),
                    )
                )
                index += 1
        return found

    def synthesize(
        self, text: str, identifier: str, *, variant: str | None = None, rate: float = 1.0
    ) -> EspeakSpeech:
        """Speak `text` with voice file `identifier` (plus a variant such as "f3"); `rate` > 1 is faster."""
        import numpy as np

        name = f"{identifier}+{variant}" if variant else identifier
        encoded = text.encode("utf-8")
        with self._lock:
            self._chunks, self._events = [], []
            if self._lib.espeak_SetVoiceByName(name.encode()) != 0:
                raise EspeakError(f"eSpeak NG has no voice {name!r}")
            self._lib.espeak_SetParameter(PARAM_RATE, round(DEFAULT_RATE_WPM * rate), 0)
            status = self._lib.espeak_Synth(
                encoded, len(encoded) + 1, 0, POS_CHARACTER, 0, CHARS_UTF8, None, None
            )
            chunks, events = self._chunks, self._events
        if status != 0:
            raise EspeakError(f"eSpeak NG could not synthesize with {name!r} (error {status})")
        pcm = np.frombuffer(b"".join(chunks), dtype="<i2")
        words = [(position - 1, length, ms / 1000) for position, length, ms in events]
        return EspeakSpeech(pcm.astype(np.float32) / 32768, self.sample_rate, words)


def _language_tags(pointer: int | None) -> tuple[str, ...]:
    if not pointer:
        return ()
    raw = ctypes.string_at(pointer, 256)
    tags, index = [], 0
    while index < len(raw) and raw[index] != 0:
        end = raw.index(b"\0", index + 1)
        tags.append(raw[index + 1 : end].decode())
        index = end + 1
    return tuple(tags)


_created = threading.Lock()
_instance: Espeak | None = None


def espeak() -> Espeak:
    """The process-wide eSpeak NG. Created once under a lock: the library's state is global, and
    two threads initialising it at once (an API request and a render, say) garble its voice list
    and make it print warnings on the user's terminal."""
    global _instance
    with _created:
        if _instance is None:
            _instance = Espeak()
        return _instance


def word_weights(sentence: str, word_spans: list[tuple[int, int]], speech: EspeakSpeech) -> list[float]:
    """Each caption word's share of the sentence, from when espeak actually started each word.

    `word_spans` are the caption words' (start, end) character offsets. Espeak reports the time
    each of *its* words starts; caption words may be split differently (CJK), so we map character
    offsets to time by interpolating between espeak's word starts and read each caption word's
    duration off that curve.
    """
    import numpy as np

    duration = len(speech.samples) / speech.sample_rate
    points = sorted({(start, seconds) for start, _length, seconds in speech.words})
    xs = [0.0] + [float(start) for start, _ in points] + [float(len(sentence))]
    ys = [0.0] + [seconds for _, seconds in points] + [duration]
    # np.interp wants increasing x; keep the latest time for each character offset, monotonic in time.
    merged: dict[float, float] = {}
    for x, y in zip(xs, ys, strict=True):
        merged[x] = max(y, merged.get(x, 0.0))
    keys = sorted(merged)
    times = np.maximum.accumulate([merged[k] for k in keys])
    weights = []
    for start, end in word_spans:
        begin, finish = np.interp([start, end], keys, times)
        weights.append(max(float(finish - begin), 0.01))
    return weights
