"""Voice matching: measure a speaker's pitch and pace, and pick the built-in voice that gets closest.

This is not cloning. The timbre stays the base voice's; what carries over is how high the speaker
talks (median fundamental frequency) and how fast (syllable rate). The API calls it what it is,
`method: "voice_match"`; a real clone needs a cloning provider.

Both measures use the same method on the sample and on the candidate voices (a reference passage
synthesized once per voice), so their biases cancel in the ratios we act on.
"""

from __future__ import annotations

import math
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from .tts import Narrator
    from .voices import Voice

ANALYSIS_RATE = 16000
FRAME_SECONDS = 0.045  # a 25 ms comparison window plus the longest lag (1 / MIN_PITCH_HZ)
HOP_SECONDS = 0.01
MIN_PITCH_HZ, MAX_PITCH_HZ = 60.0, 400.0
YIN_THRESHOLD = 0.15  # cumulative-mean-normalised difference below which a frame counts as voiced
MAX_SHIFT_SEMITONES = 7.0  # beyond this a pitch shift sounds processed; pick another base voice
NEURAL_SHIFT_LIMIT = 5.0  # a neural voice is preferred while its shift stays within this
RATE_LIMITS = (0.7, 1.4)
REFERENCE_PASSAGE = {
    "en": [
        "The quick brown fox jumps over the lazy dog.",
        "Every morning, I walk along the river and watch the boats go by.",
        "Small habits, repeated daily, can change the whole shape of a year.",
    ],
    "ja": [
        "今日はとても良い天気です。",
        "毎朝、川に沿って散歩をしています。",
        "小さな習慣が一年を変えます。",
    ],
}
FALLBACK_PASSAGE = ["1 2 3 4 5 6 7 8 9 10", "10 9 8 7 6 5 4 3 2 1"]


@dataclass(frozen=True)
class VoiceProfile:
    pitch_hz: float
    syllables_per_second: float
    speech_seconds: float


@dataclass(frozen=True)
class Match:
    base: Voice
    pitch_semitones: float
    rate: float
    sample: VoiceProfile
    reference: VoiceProfile


class NoSpeech(ValueError):
    """The sample has too little voiced speech to measure."""


def decode_mono(path: Path) -> np.ndarray:
    """Any audio file ffmpeg reads, as float32 mono at ANALYSIS_RATE."""
    import numpy as np

    from .ffmpeg import ffmpeg_exe

    result = subprocess.run(
        [ffmpeg_exe(), "-nostdin", "-v", "error", "-i", str(path), "-map", "0:a:0", "-ac", "1",
         "-ar", str(ANALYSIS_RATE), "-f", "f32le", "-"],
        capture_output=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise ValueError(
            f"ffmpeg could not decode {path.name}: {result.stderr.decode(errors='replace')[-300:]}"
        )
    return np.frombuffer(result.stdout, dtype="<f4").copy()


def profile(samples: np.ndarray, rate: int = ANALYSIS_RATE) -> VoiceProfile:
    """Median pitch of the voiced frames and syllables per second of speech."""
    import numpy as np

    if rate != ANALYSIS_RATE:
        samples = _resample(samples, rate, ANALYSIS_RATE)
    frame, hop = int(FRAME_SECONDS * ANALYSIS_RATE), int(HOP_SECONDS * ANALYSIS_RATE)
    if len(samples) < frame * 10:
        raise NoSpeech("the sample is too short to measure")
    count = 1 + (len(samples) - frame) // hop
    frames = np.lib.stride_tricks.as_strided(
        samples, shape=(count, frame), strides=(samples.strides[0] * hop, samples.strides[0])
    )
    energy = np.sqrt(np.mean(frames**2, axis=1))
    loud = energy > max(0.02 * float(energy.max()), 1e-4)
    pitches = _frame_pitches(frames[loud])
    voiced = pitches[pitches > 0]
    speech_seconds = float(loud.sum() * HOP_SECONDS)
    if len(voiced) < 20 or speech_seconds < 1.0:
        raise NoSpeech("the sample has too little clear speech to measure its pitch")
    return VoiceProfile(
        pitch_hz=float(np.median(voiced)),
        syllables_per_second=_syllable_rate(energy, speech_seconds),
        speech_seconds=speech_seconds,
    )


def _frame_pitches(frames: np.ndarray) -> np.ndarray:
    """Per frame: its pitch in Hz by YIN, or 0 where the frame is not clearly voiced.

    YIN (de Cheveigné and Kawahara, 2002) takes the first lag whose cumulative-mean-normalised
    difference dips below a threshold, which avoids the octave errors plain autocorrelation makes.
    """
    import numpy as np

    max_lag = int(ANALYSIS_RATE / MIN_PITCH_HZ)
    width = frames.shape[1] - max_lag  # each lag compares `width` samples
    x = frames - frames.mean(axis=1, keepdims=True)
    size = 1 << math.ceil(math.log2(frames.shape[1] + width))
    cross = np.fft.irfft(
        np.conj(np.fft.rfft(x[:, :width], n=size, axis=1)) * np.fft.rfft(x, n=size, axis=1), n=size, axis=1
    )[:, : max_lag + 1]
    squares = np.concatenate([np.zeros((len(x), 1)), np.cumsum(x**2, axis=1)], axis=1)
    lags = np.arange(max_lag + 1)
    energy_at = squares[:, lags + width] - squares[:, lags]  # sum of x² over [lag, lag + width)
    diff = energy_at[:, :1] + energy_at - 2 * cross
    diff[:, 0] = 0
    running = np.cumsum(diff[:, 1:], axis=1) / lags[1:]
    cmnd = np.ones_like(diff)
    cmnd[:, 1:] = diff[:, 1:] / np.maximum(running, 1e-12)
    low = int(ANALYSIS_RATE / MAX_PITCH_HZ)
    pitches = np.zeros(len(x))
    for row, curve in enumerate(cmnd):
        below = np.flatnonzero(curve[low:] < YIN_THRESHOLD)
        if below.size == 0:
            continue
        lag = low + int(below[0])
        while lag + 1 <= max_lag and curve[lag + 1] < curve[lag]:  # slide down to the dip's bottom
            lag += 1
        pitches[row] = ANALYSIS_RATE / _refine(curve, lag)
    return pitches


def _refine(curve: np.ndarray, lag: int) -> float:
    """The dip's bottom between samples, by a parabola through its neighbours."""
    if lag <= 0 or lag >= len(curve) - 1:
        return float(lag)
    left, middle, right = curve[lag - 1], curve[lag], curve[lag + 1]
    denominator = left - 2 * middle + right
    return float(lag + 0.5 * (left - right) / denominator) if denominator > 0 else float(lag)


def _syllable_rate(energy: np.ndarray, speech_seconds: float) -> float:
    """Syllable nuclei per second: peaks of the smoothed loudness envelope, at least 100 ms apart."""
    import numpy as np

    kernel = np.hanning(7)
    smooth = np.convolve(energy, kernel / kernel.sum(), mode="same")
    threshold = 0.25 * float(np.percentile(smooth, 95))
    peaks = 0
    last = -100
    for i in range(1, len(smooth) - 1):
        if (
            smooth[i] > threshold
            and smooth[i] >= smooth[i - 1]
            and smooth[i] > smooth[i + 1]
            and i - last >= 10
        ):
            peaks += 1
            last = i
    return peaks / max(speech_seconds, 1e-6)


def _resample(samples: np.ndarray, source: int, target: int) -> np.ndarray:
    import numpy as np

    positions = np.arange(0, len(samples) * target / source) * source / target
    resampled: np.ndarray = np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)
    return resampled


def reference_profile(voice: Voice, narrator: Narrator) -> VoiceProfile:
    """The candidate voice measured on a reference passage in its language (cached audio)."""
    from .tts import sample_rate

    passage = REFERENCE_PASSAGE.get(voice.base_language, FALLBACK_PASSAGE)
    narration = narrator.narrate(passage, voice)
    return profile(narration.samples, sample_rate(voice))


def match(sample: VoiceProfile, candidates: list[Voice], narrator: Narrator) -> Match:
    """The base voice and the pitch shift and rate that bring it nearest to `sample`.

    A neural voice wins while it needs a modest shift; past that, the voice needing the smallest
    shift wins (typically the formant voice of the speaker's register). Shifts are capped, since a
    large one sounds processed, and rates are kept to a range that still sounds natural.
    """
    if not candidates:
        raise ValueError("no voice speaks this language")
    options = []
    for voice in candidates:
        reference = reference_profile(voice, narrator)
        shift = 12 * math.log2(sample.pitch_hz / reference.pitch_hz)
        rate = sample.syllables_per_second / max(reference.syllables_per_second, 1e-6)
        options.append((voice, shift, rate, reference))
    neural = [o for o in options if o[0].quality == "neural" and abs(o[1]) <= NEURAL_SHIFT_LIMIT]
    voice, shift, rate, reference = min(neural or options, key=lambda o: abs(o[1]))
    return Match(
        base=voice,
        pitch_semitones=round(max(-MAX_SHIFT_SEMITONES, min(MAX_SHIFT_SEMITONES, shift)), 2),
        rate=round(max(RATE_LIMITS[0], min(RATE_LIMITS[1], rate)), 3),
        sample=sample,
        reference=reference,
    )
