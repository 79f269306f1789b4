"""One line of text for a message: a value or a problem, on one line and bounded (no imports:
the command line clips its argument errors before anything heavy is loaded)."""


def clip(text: object, limit: int) -> str:
    """``text`` on one line (control characters escaped), at most ``limit`` characters."""
    text = str(text)[: limit + 1]
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
