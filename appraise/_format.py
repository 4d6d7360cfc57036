"""How numbers and card text are written in every output: one rule each.

Every module that shows a p-value, a percentage, an interval or an NNT, or that places text
from a trial card into Markdown, HTML, a terminal, JSON, a widget or a chart, calls the
functions here, so one number always reads the same everywhere.
"""

from __future__ import annotations

import re

__all__ = ["escape_terminal"]

# ESC-introduced sequences (CSI ``ESC [ ... final``, OSC ``ESC ] ... BEL|ST``, two-byte ``ESC x``)
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# C0 controls except tab and newline, DEL, C1 controls, bidirectional overrides/isolates
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_terminal(text) -> str:
    """``text`` safe to print to a terminal: no escape sequences or control characters.

    Whole ANSI sequences (colour, clear screen, set title, ...) are removed, then every
    remaining C0 control except newline and tab, DEL, every C1 control and the Unicode
    bidirectional overrides.  Carriage returns go too (they would overwrite a line).

    Examples
    --------
    >>> escape_terminal("Intubation\\x1b[2J\\x1b]0;pwned\\x07 rate\\r")
    'Intubation rate'
    """
    text = str(text)
    return _CONTROL.sub("", _ANSI.sub("", text))
