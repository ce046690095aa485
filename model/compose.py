"""Turn a bank reply into the text an agent sends: placeholders filled, context sentences added.

Context rules (the tone guidelines): an angry customer, or one who posted personal data, is
invited to a private channel (and asked to delete the public post when it shows data); outside
service hours the reply says when the team is back.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from dataclasses import dataclass

_SIGNATURE = re.compile(r"\s*(?:\^\s?|[-–—]\s?)\{agent\}\s*$")
_HANDLE_START = re.compile(r"^(?:\{handle\}\s*[,:.!]?\s*)+")
# "Thanks for sharing, {handle}!" -> "Thanks for sharing!"; "awful timing, {handle}, and" -> "awful timing, and"
_HANDLE_AFTER_COMMA = re.compile(r",\s*\{handle\}(?=[,.!?:;)]|\s*$)")
_SPACES = re.compile(r"[ \t]+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
# Spanish "usted" register: a reply that says "envíenos" should not go on "borra tu tuit".
_USTED = re.compile(r"\b(?:usted(?:es)?|env[ií]enos|escr[ií]banos|cont[aá]ctenos|ind[ií]quenos|perm[ií]tanos|"
                    r"comp[aá]rtanos|m[aá]ndenos|p[aá]senos|borre|elimine|su caso|sus datos|le (?:ayudamos|atendemos|"
                    r"confirmamos|escribimos|contestamos|respondemos|recomendamos|pedimos|agradecemos))\b", re.IGNORECASE)
_SIGNED_PART = re.compile(r"^(?:\^ ?|[-–—] ?)(?:\{agent\}|[^\s.!?]{1,20}(?: [A-Z]\.?)?)$")

WEEKDAYS = {"es": ["el lunes", "el martes", "el miércoles", "el jueves", "el viernes", "el sábado", "el domingo"],
            "en": ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday"]}


@dataclass(frozen=True)
class ReplyContext:
    lang: str
    channel: str = "twitter"
    handle: str | None = None
    agent: str | None = None
    needs_private: bool = False
    pii: bool = False
    outside_hours: bool = False
    back_at: dt.datetime | None = None  # next opening, in the business-hours time zone
    now: dt.datetime | None = None  # local time of the message


def hours_phrase(back_at: dt.datetime, now: dt.datetime, lang: str) -> str:
    """'mañana a partir de las 08:00' / 'tomorrow from 08:00': when the team is back."""
    days = (back_at.date() - now.date()).days
    hhmm = back_at.strftime("%H:%M")
    if lang == "es":
        when = "hoy" if days == 0 else "mañana" if days == 1 else WEEKDAYS["es"][back_at.weekday()]
        return f"{when} a partir de las {hhmm}"
    when = "today" if days == 0 else "tomorrow" if days == 1 else WEEKDAYS["en"][back_at.weekday()]
    return f"{when} from {hhmm}"


def fill(template: str, ctx: ReplyContext) -> str:
    """Fill {handle}, {agent}, {hours}; a missing handle or agent removes its slot cleanly."""
    text = template
    if ctx.handle:
        handle = ctx.handle if ctx.handle.startswith("@") else "@" + ctx.handle
        text = text.replace("{handle}", handle)
    else:
        text = _HANDLE_START.sub("", text)
        text = _HANDLE_AFTER_COMMA.sub("", text)
        text = text.replace(" {handle}", "").replace("{handle}", "")
        text = _capitalize(text)
    if ctx.agent:
        text = text.replace("{agent}", ctx.agent)
    else:
        text = _SIGNATURE.sub("", text).replace("{agent}", "")
    if "{hours}" in text:
        text = text.replace("{hours}", hours_phrase(ctx.back_at, ctx.now, ctx.lang) if ctx.back_at and ctx.now
                            else ("en cuanto abramos" if ctx.lang == "es" else "as soon as we open"))
    return _SPACES.sub(" ", text).strip()


def pick(options: list[str], seed_text: str) -> list[str]:
    """Options in a stable order that varies with the message, so replies do not all read alike."""
    if not options:
        return []
    start = zlib.crc32(seed_text.encode()) % len(options)
    return options[start:] + options[:start]


def insert_before_signature(reply: str, sentence: str, ctx: ReplyContext) -> str:
    """Add ``sentence`` after the body and before the agent's signature, if there is one."""
    if ctx.agent:
        for sig in (f"^{ctx.agent}", f"- {ctx.agent}", f"– {ctx.agent}", f"^ {ctx.agent}"):
            if reply.endswith(sig):
                body = reply[: -len(sig)].rstrip()
                return f"{_end_sentence(body)} {sentence} {sig}"
    return f"{_end_sentence(reply)} {sentence}"


def speaks_usted(text: str) -> bool:
    """Whether a Spanish text addresses the customer as "usted"."""
    return _USTED.search(text) is not None


def same_register_first(reply: str, options: list[str], lang: str) -> list[str]:
    """``options`` (context sentences) with those in the reply's register first, order kept
    otherwise: Spanish replies use "usted" or "tú" throughout."""
    if lang != "es":
        return options
    formal = speaks_usted(reply)
    return sorted(options, key=lambda o: speaks_usted(o) != formal)


def without_one_sentence(reply: str) -> list[str]:
    """``reply`` with one of its sentences left out (never the first, which greets and thanks,
    nor the signature), shortest cut first: the versions to try when a reply plus its context
    sentences overflows a tweet. The caller tone-checks whatever it sends."""
    parts = _SENTENCE_END.split(reply)
    signed = len(parts) > 1 and _SIGNED_PART.match(parts[-1]) is not None
    cuttable = range(1, len(parts) - 1) if signed else range(1, len(parts))
    inner = sorted(cuttable, key=lambda i: (len(parts[i]), i))
    return [" ".join(parts[:i] + parts[i + 1:]) for i in inner]


def _capitalize(text: str) -> str:
    """Upper-case the first letter, after any opening '¡' or '¿'."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
    return text


def _end_sentence(text: str) -> str:
    return text if not text or text[-1] in ".!?…)" else text + "."
