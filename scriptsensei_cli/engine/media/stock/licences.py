"""Open licences as the key-free sources name them, normalised, and whether a video may use them.

Openverse names a licence by a short code and a version ("by-sa", "4.0"); Wikimedia Commons by one
machine code ("cc-by-sa-2.5-nl", "cc0", "pd"). Both become one name people know ("CC BY-SA 4.0",
"CC0", "Public Domain") with what it permits. A video crops, scales and captions what it shows, so a
no-derivatives (ND) licence is never usable; a non-commercial (NC) one only when the configuration
allows it (SCRIPTSENSEI_ALLOW_NONCOMMERCIAL_MEDIA).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Creative Commons licence elements, in the order their names use them.
# Commons adds the version and a port's region to the code ("cc-by-sa-2.5-nl"); Openverse does not.
_CC_CODE = re.compile(r"^(?:cc-)?(by(?:-nc)?(?:-sa|-nd)?)(?:-(\d(?:\.\d)?)(?:-([a-z]{2}))?)?$")
_PUBLIC_DOMAIN = {"cc0": "CC0", "pdm": "Public Domain", "pd": "Public Domain", "cc-pd": "Public Domain"}


@dataclass(frozen=True)
class Licence:
    """A licence's usual name, and whether it allows commercial use and changes (derivatives)."""

    name: str
    commercial: bool
    modification: bool

    def usable(self, *, allow_noncommercial: bool) -> bool:
        """Whether a video may use a work under this licence: changes allowed, and commercial use
        unless non-commercial works are allowed."""
        return self.modification and (self.commercial or allow_noncommercial)


def parse_licence(code: str | None, version: str | None = None) -> Licence | None:
    """The licence `code` names ("by-nc", "cc-by-sa-4.0", "cc0", "pdm"...), with `version` when the
    code carries none; None for anything else (GFDL, sampling+, an empty or unknown code)."""
    code = (code or "").strip().casefold()
    if code in _PUBLIC_DOMAIN:
        return Licence(_PUBLIC_DOMAIN[code], commercial=True, modification=True)
    match = _CC_CODE.match(code)
    if match is None:
        return None
    elements, own_version, region = match.groups()
    number = own_version or (version or "").strip()
    if number and not re.fullmatch(r"\d(?:\.\d)?", number):
        number = ""
    name = " ".join(part for part in ("CC", elements.upper(), number, (region or "").upper()) if part)
    return Licence(name, commercial="-nc" not in elements, modification="-nd" not in elements)
