"""Text normalisation shared by training and inference, and a small es/en language guess."""

from __future__ import annotations

import re

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@\w{1,30}")
_SPACES = re.compile(r"\s+")

# Function words that are frequent in one language and rare in the other.
_ES = frozenset("""de la que el en y los se del las un por con no una su para es al lo como más pero sus le ya o
fue este ha sí porque esta son entre cuando muy sin sobre también me hasta hay donde quien desde todo nos durante
todos uno les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo otro otras otra él tanto esa
estos mucho quienes nada muchos cual poco ella estar estas algunas algo nosotros mi mis tú te ti tu tus ellas
vos sos tenés estoy está están tengo tiene hace hoy ayer nadie sigo llevo dos días semana cuenta pedido porfa
gracias hola buenas hace mañana noche q x xq pq ahora nunca siempre todavía aún vez necesito quiero""".split())
_EN = frozenset("""the to and of a in is it you that he was for on are with as i his they be at one have this from
or had by not but what some we can out other were all there when up use your how said an each she which do their
if will way about many then them would so these her see him has more could go come did my no get been made its
than now after our just why me im i'm dont don't can't cant still been since hours days order got never again
please thanks thank hi hey any help yet today tomorrow week account""".split())
_ES_CHARS = set("ñáíóú¿¡")  # é and ü are common in French and German names too


def handles(text: str) -> list[str]:
    """The @handles ``text`` mentions, without the "@" (an e-mail address is not one)."""
    return [h[1:] for h in _HANDLE.findall(text)]


def mask_handles(text: str) -> str:
    """``text`` with every @handle replaced by "@user"."""
    return _HANDLE.sub("@user", text)


def normalize_for_model(text: str) -> str:
    """Replace URLs and @handles by placeholders and fold white space.

    Handles and links are the noisiest tokens in social posts and carry no urgency
    signal of their own; keeping them makes n-grams memorise names.
    """
    text = _URL.sub(" URL ", text)
    text = _HANDLE.sub(" @user ", text)
    return _SPACES.sub(" ", text).strip()


def guess_lang(text: str, default: str = "es") -> str:
    """'es' or 'en' from function words and Spanish letters; ``default`` on a tie."""
    words = re.findall(r"[a-záéíóúüñ']+", text.lower())
    es = sum(w in _ES for w in words) + 2 * sum(ch in _ES_CHARS for ch in text.lower())
    en = sum(w in _EN for w in words)
    if es == en:
        return default
    return "es" if es > en else "en"
