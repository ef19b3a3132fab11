"""Estimated cost of a call from its token counts, for models whose list prices we know.

US dollars per million tokens (input, output), from the providers' public price lists in 2026;
prices change, so a script records the estimate made when it was written, and unknown models
(local servers, new releases) record none rather than a guess.
"""

from __future__ import annotations

PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "claude-3-5-haiku": (0.80, 4.00),
    "claude-3-5-sonnet": (3.00, 15.00),
    "claude-sonnet-4": (3.00, 15.00),
    "gemini-2.0-flash": (0.10, 0.40),
    "gemini-1.5-flash": (0.075, 0.30),
    "gemini-1.5-pro": (1.25, 5.00),
    "deepseek-chat": (0.27, 1.10),
}


def cost_usd(model: str | None, tokens_in: int | None, tokens_out: int | None) -> float | None:
    """The estimate, or None when the model's price or a token count is unknown."""
    if not model or tokens_in is None or tokens_out is None:
        return None
    # The longest known name the model starts with: "gpt-4o-mini-2024-07-18" is gpt-4o-mini, not gpt-4o.
    matches = [name for name in PRICES if model.lower().startswith(name)]
    if not matches:
        return None
    price_in, price_out = PRICES[max(matches, key=len)]
    return round((tokens_in * price_in + tokens_out * price_out) / 1_000_000, 6)
