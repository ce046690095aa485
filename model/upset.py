"""Is the customer upset? Cue words and emoji of anger, insult or contempt, in es and en.

The anger head (a learned model) catches most very angry posts but misses some, and it was
never asked about merely annoyed ones. A breezy "haha, thanks for the mention 😄" to someone
swearing at the brand is the worst reply there is, so the suggester also reads these cues:
any one of them rules out the low-urgency replies. Shouting counts too, when the word in
capitals is a question or time word ("HOW", "NUNCA", "3 SEMANAS") rather than an acronym.
Precision matters more than recall here (a cue on a happy post only costs a plainer reply),
so only unambiguous words are listed.
"""

from __future__ import annotations

import re

from model.tone import fold

_EMOJI = re.compile("[\U0001F621\U0001F92C\U0001F624\U0001F620\U0001F44E\U0001F595\U0001F4A9\U0001F644\U0001F612]")
_WORDS = re.compile(r"(?<![\w@#])(?:" + "|".join((
    # en
    r"fuck\w*", r"f\*+k\w*", r"shit\w*", r"wtf", r"wth", r"sucks?", r"sux", r"crap\w*", r"useless", r"worst", r"terrible",
    r"awful", r"horrible", r"pathetic", r"ridiculous", r"disgrace\w*", r"disgusting", r"shambles", r"scam\w*", r"rip ?-?off",
    r"incompetent", r"unacceptable", r"fed up", r"sick (?:and tired )?of", r"furious", r"livid", r"pissed\w*", r"angry",
    r"annoyed", r"frustrat\w*", r"hate", r"what a joke", r"a joke", r"grr+\w*", r"ffs", r"bloody", r"rubbish", r"clowns",
    # es
    r"mierda\w*", r"put[ao]s?", r"puta madre", r"joder", r"jodid\w*", r"carajo", r"chingad\w*", r"verga", r"pendej\w*",
    r"boludo\w*", r"pelotudo\w*", r"hdp", r"ctm", r"conchetumare", r"pesim[oa]s?", r"verguenza", r"vergonzos[oa]s?", r"asco",
    r"asqueros[oa]s?", r"inutil(?:es)?", r"incompetentes?", r"estafa\w*", r"estafador\w*", r"ladron(?:es)?", r"rob[ao]ndo",
    r"hart[oa]s?", r"hasta la madre", r"hasta las narices", r"hasta los huevos", r"me cago", r"indignad[oa]s?",
    r"furios[oa]s?", r"cabread[oa]s?", r"emputad[oa]s?", r"encabronad[oa]s?", r"una burla", r"porqueria", r"basura",
    r"lamentable", r"inaceptable", r"ridicul[oa]s?", r"no sirve(?:n)? para nada", r"son lo peor", r"el peor", r"la peor",
    r"de lo peor", r"mamad[oa]s?", r"me tienen (?:podrid[oa]|cansad[oa]|hart[oa])", r"una verguenza",
)) + r")(?!\w)")


# Shouting: a question or time word in capitals ("HOW is this still broken", "¿DÓNDE está mi pedido?").
# Capitals alone are not enough: acronyms (DNI, ATM, SMS) are capitals too.
_SHOUT = re.compile(r"(?<![\w'’])(?:" + "|".join((
    r"HOW", r"WHY", r"WHERE", r"WHEN", r"WHAT", r"NEVER", r"STILL", r"AGAIN", r"NOBODY", r"NOTHING", r"SERIOUSLY",
    r"ANOTHER", r"HOURS", r"DAYS", r"WEEKS", r"MONTHS",
    r"POR QU[EÉ]", r"C[OÓ]MO", r"D[OÓ]NDE", r"CU[AÁ]NDO", r"NADIE", r"NADA", r"NUNCA", r"OTRA VEZ", r"TODAV[IÍ]A",
    r"A[UÚ]N", r"HORAS", r"D[IÍ]AS", r"SEMANAS", r"MESES", r"EN SERIO",
)) + r")(?![\w'’])")


def upset_cues(text: str) -> list[str]:
    """The words and emoji in ``text`` that show anger or contempt (empty when there are none)."""
    found = _EMOJI.findall(text) + _SHOUT.findall(text)
    folded = fold(text)
    found += [m.group(0) for m in _WORDS.finditer(folded)]
    return found
