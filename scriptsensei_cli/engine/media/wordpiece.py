"""BERT's WordPiece tokenizer (uncased), in plain Python: what the MiniLM sentence model reads.

The model package ships the ONNX file only. The tokenizer is the one `tokenizers` builds from
all-MiniLM-L6-v2's `tokenizer.json` (BertNormalizer with lowercase and accent stripping,
BertPreTokenizer, WordPiece with `##` continuations), rewritten here so the engine needs neither
`tokenizers` nor `huggingface_hub`; its vocabulary (bert-base-uncased's, Apache-2.0) ships as
`data/minilm-vocab.txt`. Inputs are file names and scene lines, so speed is no concern.

```python
pieces = WordPiece.bundled()
pieces.encode("Bike-commute in the RAIN")  # [101, 7997, 1011, 4012, 26746, 1999, 1996, 4542, 102]
```
"""

from __future__ import annotations

import unicodedata
from importlib import resources
from pathlib import Path

VOCAB_FILE = "minilm-vocab.txt"
MAX_WORD_CHARS = 100


class WordPiece:
    """Text to token ids: `[CLS] pieces… [SEP]`, cut to `max_tokens`."""

    def __init__(self, vocab: list[str]) -> None:
        self.ids = {token: index for index, token in enumerate(vocab)}
        self.unk, self.cls, self.sep = self.ids["[UNK]"], self.ids["[CLS]"], self.ids["[SEP]"]

    @classmethod
    def from_file(cls, path: Path) -> WordPiece:
        return cls(path.read_text(encoding="utf-8").splitlines())

    @classmethod
    def bundled(cls) -> WordPiece:
        """The vocabulary that ships with the engine (all-MiniLM-L6-v2's, which is bert-base-uncased's)."""
        data = resources.files("scriptsensei_cli.engine.media").joinpath("data")
        text = data.joinpath(VOCAB_FILE).read_text(encoding="utf-8")
        return cls(text.splitlines())

    def encode(self, text: str, max_tokens: int = 128) -> list[int]:
        ids = [self.cls]
        for word in _words(_normalize(text)):
            ids.extend(self._pieces(word))
            if len(ids) >= max_tokens - 1:
                break
        return [*ids[: max_tokens - 1], self.sep]

    def _pieces(self, word: str) -> list[int]:
        """Greedy longest match; a word with any part missing from the vocabulary is one [UNK]."""
        if len(word) > MAX_WORD_CHARS:
            return [self.unk]
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    pieces.append(self.ids[piece])
                    break
                end -= 1
            else:
                return [self.unk]
            start = end
        return pieces


def _normalize(text: str) -> str:
    """BertNormalizer: drop control characters, spaces around CJK ideographs, lowercase, strip accents."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        if code in (0, 0xFFFD) or (_is_control(char)):
            continue
        if char.isspace():
            out.append(" ")
        elif _is_cjk(code):
            out.append(f" {char} ")
        else:
            out.append(char)
    lowered = "".join(out).lower()
    return "".join(c for c in unicodedata.normalize("NFD", lowered) if unicodedata.category(c) != "Mn")


def _words(text: str) -> list[str]:
    """BertPreTokenizer: split on whitespace, and every punctuation character is a word of its own."""
    words: list[str] = []
    for chunk in text.split():
        current = ""
        for char in chunk:
            if _is_punctuation(char):
                if current:
                    words.append(current)
                    current = ""
                words.append(char)
            else:
                current += char
        if current:
            words.append(current)
    return words


def _is_control(char: str) -> bool:
    if char in "\t\n\r":
        return False
    return unicodedata.category(char) in ("Cc", "Cf")


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )
