"""Tone guidelines for agent replies: seven rule-based checks, Spanish and English.

The guidelines are those of ``data/corpus/SPEC.md`` ("Tone guidelines"): a reply thanks
the customer, is not defensive, offers a concrete next step, sounds like a person,
moves furious or personal-data conversations to a private channel (asking to delete a
post that exposes personal data), says when the team is back when the message arrived
out of hours, and fits the channel's length limit.

Each check is a lexicon of general phrases matched on a folded copy of the reply (lower
case, no accents, one character per character of the original), so that every reason
can quote the customer-facing words that decided it. The lexicons cover Spain and
Latin-American Spanish (tú, usted, vos, vosotros) and US/UK English and are applied in
both languages, because replies mix them; the context's language only picks the
language of the reasons.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel

from model.fast_union import top_level_alternatives, union_by_first_char
from model.text import guess_lang, mask_handles

CHECKS: tuple[str, ...] = (
    "thanks", "non_defensive", "offers_solution", "human",
    "private_channel", "service_hours", "fits_channel",
)

# data.taxonomy.CHANNEL_LIMITS (model/ may not import data/) plus the private channel.
# An unknown channel gets the strictest public limit.
CHANNEL_LIMITS: dict[str, int] = {"twitter": 280, "facebook": 1000, "instagram": 1000, "private": 2000}
DEFAULT_LIMIT = 280


class ToneContext(BaseModel):
    """What the checks need to know about the conversation a reply answers."""

    lang: str | None = None  # "es" / "en"; None: guessed from the reply
    channel: str = "twitter"
    needs_private: bool = False  # the customer is very angry or posted personal data
    pii: bool = False  # personal data posted in public: also ask to delete the post
    outside_hours: bool = False


@dataclass(frozen=True)
class CheckResult:
    check: str
    passed: bool
    applicable: bool  # False for a conditional check the context does not require (then passed)
    reason: str


@dataclass(frozen=True)
class ToneReport:
    results: dict[str, CheckResult]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results.values())

    def as_flags(self) -> dict[str, bool]:
        return {name: r.passed for name, r in self.results.items()}

    def to_dict(self) -> dict:
        return {"passed": self.passed,
                "checks": {name: {"passed": r.passed, "applicable": r.applicable, "reason": r.reason}
                           for name, r in self.results.items()}}


# ---------------------------------------------------------------------------
# Matching


def fold(text: str) -> str:
    """Lower case without accents ("ñ" -> "n"), one output character per input character.

    Keeping the length lets a match on the folded text be quoted from the original.
    """
    return "".join(map(_fold_char, text))


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    # per character and memoised: suggestions check several replies per request
    if ch in "\u2019\u2018":
        return "'"
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    low = (base or ch).lower()
    return low[0] if low else ch


_WORD_START, _WORD_END = r"(?<![\w@])", r"(?!\w)"


def _rx(*phrases: str) -> re.Pattern[str]:
    """One regex over folded text. Phrases are alternatives matched as whole words;
    in them " " is any white space and " ?" optional white space."""
    body = "|".join(p.rstrip(" ").replace(" ?", r"\s?").replace(" ", r"\s+") for p in phrases)
    return re.compile(f"{_WORD_START}(?:{body}){_WORD_END}")


def _any_of(patterns: Iterable[re.Pattern[str]]) -> re.Pattern[str]:
    """One regex that matches where any of ``patterns`` (built by ``_rx``) does, faster than
    trying them in turn (``model.fast_union``)."""
    head, tail = f"{_WORD_START}(?:", f"){_WORD_END}"
    bodies = [p.pattern[len(head):-len(tail)] for p in patterns]
    return union_by_first_char((a for b in bodies for a in top_level_alternatives(b)), head, tail)


def _w(n: int) -> str:
    """Up to ``n`` words in between, within one sentence."""
    return r"(?:[^\s.!?;:]+ ){0," + str(n) + "}"


def _find(pattern: re.Pattern[str], text: str, folded: str) -> str | None:
    """The original words of the first match, or None."""
    m = pattern.search(folded)
    return text[m.start():m.end()] if m else None


def _msg(lang: str, es: str, en: str, **kw: object) -> str:
    return (es if lang == "es" else en).format(**kw)


# ---------------------------------------------------------------------------
# 1. thanks

_THANKS = _rx(
    r"gracias", r"agradec\w*", r"merci", r"obrigad[oa]", r"grazie", r"danke", r"go raibh (?:\w+ )?maith agat",
    r"thank\w*", r"thx", r"tks", r"ty", r"cheers for", r"appreciate\w*", r"grateful",
)

# ---------------------------------------------------------------------------
# 2. non_defensive: seven ways of being defensive, each with a label for the reason.

_DEFENSIVE: dict[str, tuple[tuple[str, str], re.Pattern[str]]] = {
    "terms": (("se escuda en las condiciones", "hides behind the terms"), _rx(
        # "como indican nuestras condiciones", "según el reglamento", "as stated in your agreement"
        r"(?:como|segun|tal como|tal y como|conforme a|de acuerdo con|de acuerdo a|de acuerdo al) " + _w(3)
        + r"(?:condiciones|terminos|politica|politicas|reglamento|contrato|clausula|normas|procedimiento|protocolo|bases|"
          r"letra (?:pequena|chica)|la web|nuestra web|el sitio)",
        r"(?:como|tal como|tal y como) (?:ya )?(?:indica|indican|figura|figuran|establece|establecen|dice|dicen|pone|ponen|"
        r"explica|explican|viene|aparece|consta|constan)",
        r"(?:consta|constan|figura|figuran) (?:\w+ )?en (?:tu|su|el|la|nuestro|nuestra) (?:contrato|poliza|condiciones|factura|reglamento)",
        r"(?:lo )?(?:dicen|dice|indican|indica|establecen|establece|marcan|ponen|pone) (?:las|los|el|la|nuestras|nuestros) "
        r"(?:condiciones|terminos|politica|reglamento|contrato|normas|bases)",
        r"(?:terms|t&cs?|conditions|policy|contract|agreement|condiciones|terminos|contrato|politica|reglamento|"
        r"letra (?:pequena|chica)) (?:\w+ ){0,2}(?:make it clear|makes it clear|clearly|son claras|es clara|lo dejan claro|lo deja claro)",
        r"(?:as|per|under|in line with|in accordance with|according to) (?:our|your|the) (?:\w+ ){0,2}"
        r"(?:terms|t&cs|t&c|conditions|policy|policies|agreement|contract|pds|wording|rules|procedure)",
        r"(?:according to|per|following) (?:the |our )?(?:procedure|protocol)",
        r"(?:in line with|in accordance with) (?:the )?(?:current |applicable |relevant )?(?:regulations?|legislation|law)",
        r"followed (?:the )?(?:process|procedure|policy|protocol|rules)",
        r"as (?:stated|outlined|set out|explained|mentioned|described|noted|specified|indicated|clearly stated|previously stated)",
        r"as (?:set|laid out|written|detailed|agreed) in (?:your|the|our)",
        r"(?:is|are) (?:set out|stated|written|detailed|specified|explained) in (?:your|the|our) (?:contract|terms|agreement|policy|t&cs)",
        r"(?:our|company) policy (?:is|states|says|clearly|does not|doesn't|requires|only)",
        r"(?:nuestra|la) politica (?:es clara|establece|indica|dice|no permite)",
        r"(?:fine|small) print", r"refer to (?:our|the) (?:terms|t&cs?|policy|policies|conditions|fine print)",
        r"(?:figura|consta|esta|aparece) en la clausula|clausula \d+|condiciones generales",
        r"(?:remitase|remitete|remitirse) a (?:las|nuestras|los|nuestros) (?:condiciones|terminos|bases|politicas)",
        r"read (?:the|our) (?:terms|policy|conditions|faq|fine print|small print)", r"please read (?:them|it)",
        r"(?:lee|lea|lean|leer) (?:bien )?(?:las|los|nuestras|nuestros) (?:condiciones|terminos|bases)",
        r"(?:aceptaste|acepto|aceptaron|firmaste|firmo) (?:las|los|el|la) (?:condiciones|terminos|contrato|poliza)",
        r"(?:que|you) (?:firmaste|firmo|aceptaste|acepto|signed(?! up| in| out))", r"you (?:agreed|accepted|consented) to",
        r"(?:standard|normal|common) (?:across|in) the industry", r"(?:standard|normal|usual|common) practice",
        r"(?:procedimiento|practica) (?:habitual|estandar|normal)", r"(?:all|everything|what) the (?:regulation|law|rules) (?:requires|require|says)",
        r"(?:todas las|todos los) (?:aerolineas|bancos|empresas|companias|operadores|aseguradoras) (?:lo hacen|hacen lo mismo|cobran)",
        r"(?:every|all) (?:other )?(?:airline|bank|company|provider|carrier|insurer)s? (?:does|do|charges?)",
        r"(?:no hacemos|no podemos hacer) excepciones|we (?:can'?t|cannot|don'?t) make (?:an )?exceptions?",
        r"we only (?:process|accept|refund|cover|honou?r)|solo (?:aceptamos|procesamos|reembolsamos|cubrimos|tramitamos)",
        r"(?:rules are rules|policy is policy)", r"las (?:reglas|normas) son (?:las )?(?:reglas|normas)",
        # "es política de la empresa", "it's company policy", "según lo que firmaste"
        r"(?:es|por) (?:nuestra )?politica (?:de la (?:empresa|compania|casa|tienda|marca)|interna)",
        r"(?:it's|it is|that's|that is|this is) (?:our |the )?(?:company|store|standard|internal) policy|company policy",
        r"(?:segun|conforme a) lo (?:que )?(?:firmaste|firmo|firmado|aceptaste|acepto|aceptado|contrataste)",
        r"lo (?:pone|dice|indica|deja) (?:bien |muy |bastante )?claro",
        r"(?:al|cuando) (?:contratar|comprar|reservar|registrarte|registrarse|suscribirte|suscribirse|darte de alta|darse de alta),? "
        r"(?:usted |tu |vos )?(?:aceptaste|acepto|aceptaron|firmaste|firmo|se te informo|se le informo)",
        # everyone does it, or the rules allow no exception: "es el mismo en todas", "no hay excepciones"
        r"(?:es|son) algo general|del mercado|todas las (?:plataformas|aerolineas|compañias|companias|empresas)"
        r" (?:\w+ )?(?:actualizaron|subieron|cobran|hacen)",
        r"es el mismo en todas|(?:the same|standard) (?:at|across|for) (?:all|every)"
        r" (?:airlines|banks|providers|companies)",
        r"(?:was|were) only following",
        r"no hay excepciones|sin excepciones|doesn'?t allow (?:any )?exceptions|(?:there are|we make) no exceptions",
        r"(?:standard|normal|usual|common) (?:across|at|for|in) (?:\w+ )?(?:banks|airlines|insurers|providers|the"
        r" market|the sector|the industry|retailers|operators)",
        r"followed (?:the |our )?(?:standard |normal |usual )(?:process|procedure|policy|protocol|rules)|followed our"
        r" (?:standard|normal|usual)",
        r"(?:promedio|media) del (?:sector|mercado)",
        r"estandar en (?:todas|todos|el sector)|no es algo que (?:inventemos|nos inventemos)",
        r"previsto en (?:nuestra|la) politica",
        r"decision is in line with",
        r"so that'?s the (?:limit|rule|price|fee)",
        r"(?:can'?t|cannot) override",
        r"(?:it's|it is) not just us|in line with (?:what )?(?:others|other \w+|the rest)",
    )),
    "told_you": (("recuerda al cliente que ya se le avisó", "says the customer was already told"), _rx(
        # "te recordamos que", "tal como te indicamos", "as we told you", "you were notified"
        r"(?:te|le|les|os) (?:recordamos|aclaramos|reiteramos)(?: nuevamente| otra vez| de nuevo| una vez mas)?,? que",
        r"(?:como|tal como|tal y como) (?:ya )?(?:te |le |les |os )?(?:lo )?(?:indicamos|dijimos|explicamos|informamos|comentamos|"
        r"avisamos|advertimos|mencionamos|aclaramos|se te indico|se le indico)",
        r"ya (?:te|le) (?:lo )?(?:dijimos|explicamos|advertimos|respondimos|contestamos|habiamos (?:dicho|explicado|avisado))",
        r"ya (?:te|le|les) lo (?:aclaro|aclaramos|explico|explicamos|dijo|dijimos|informo|informamos)",
        r"(?:te|le|les|os) (?:lo )?(?:avisamos|dijimos|explicamos|advertimos|informamos|notificamos|enviamos|comunicamos) (?:\w+ ){0,5}"
        r"hace (?:un|una|dos|tres|\d+|unos|unas|varios|varias) (?:dia|dias|semana|semanas|mes|meses)",
        r"(?:te|le|les) (?:enviamos|mandamos|hicimos llegar) (?:dos|tres|varios|\d+) (?:avisos|correos|cartas|recordatorios|notificaciones)",
        r"(?:se te|se le) (?:aviso|notifico|informo|advirtio)", r"(?:se|lo) (?:anuncio|aviso|informo|comunico|notifico|publico)\w* con (?:antelacion|anticipacion|tiempo)",
        r"(?:como|que) (?:esta|estan) (?:bien |muy )?clar[oa]s?",
        r"(?:esta|viene|aparece|figura) (?:bien |muy |claramente |ya )?(?:explicado|indicado|especificado|detallado|informado|publicado) en "
        r"(?:la|nuestra|el|nuestro) (?:web|pagina|sitio|app|condiciones|contrato|factura)",
        r"(?:estaba|estuvo|was|has been) (?:disponible|available|publicad[oa]|published|posted) (?:en|on|in) (?:la|the|our|nuestra) (?:app|web|website|site|pagina)",
        r"lo (?:dice|indica|pone) (?:claramente )?(?:la|el) (?:caja|etiqueta|web|descripcion|contrato|manual|envase|ficha)",
        r"as (?:we|i) (?:already |previously )?(?:told|explained|said|mentioned|advised)", r"(?:as|like) (?:we|you) (?:were|was) told",
        r"as (?:you were|you've been) (?:told|informed|advised)", r"as (?:per|in) (?:our|my) (?:previous|last|earlier) (?:email|message|reply|letter)",
        r"(?:we|we've|we have|i|i've|i have) already (?:explained|answered|responded|told you|addressed|clarified|covered)",
        r"we (?:told|informed|notified|emailed|warned|wrote to) (?:all (?:our )?customers|all our members|everyone|customers) (?:\w+ ){0,4}"
        r"(?:ago|in advance|beforehand|already|last (?:week|month|year))",
        r"we (?:told|informed|notified|emailed|warned) you (?:\w+ ){0,3}(?:ago|last (?:week|month|year)|already)",
        r"we (?:sent|emailed|wrote to) you (?:two|three|several|multiple|\d+|many) (?:reminders|letters|notices|emails|times)",
        r"you were (?:warned|notified|informed|told|advised|reminded)", r"please note that", r"to be clear",
        r"(?:which|that) (?:was|were|is) (?:clearly )?(?:disclosed|stated|explained|announced|outlined|shown|indicated|listed|mentioned|specified)",
        r"(?<!what\s)(?:was|were) (?:announced|disclosed|explained|notified)", r"(?:announced|notified|communicated|published|advertised) in advance",
        r"(?:it's|it is|this is|that's|that is|was|were|is) clearly (?:written|stated|explained|shown|listed|displayed|marked|visible)",
        r"clearly (?:says|states|shows)|lo dice claramente|se indica claramente|esta claramente",
        r"(?:it )?says (?:so |clearly )?(?:on|in) the (?:box|label|terms|website|contract|product page|listing|description|packaging|manual)",
        r"as you (?:should|would|must|may) know|everyone knows|(?:deberias|deberia) saber",
        r"como (?:todo el mundo|cualquiera) sabe|como es (?:logico|obvio|de esperar)|(?:es|it's) (?:de )?(?:sentido comun|common sense)",
        # singular and perfect forms: "le recuerdo que", "te lo hemos explicado varias veces", "ya se te explicó"
        r"(?:te|le|les|os) (?:recuerdo|aclaro|reitero|repito)(?: nuevamente| otra vez| de nuevo| una vez mas)?,? que",
        r"(?:te|le|les|os) (?:lo )?(?:hemos|habiamos) (?:dicho|explicado|indicado|informado|comentado|aclarado|repetido|avisado|advertido) "
        r"(?:\w+ )?(?:varias veces|muchas veces|mil veces|en (?:varias|repetidas|reiteradas) ocasiones|reiteradamente|repetidamente|"
        r"anteriormente|previamente|antes)",
        r"ya (?:te|le|les|os) (?:lo )?(?:hemos|habiamos) (?:dicho|explicado|indicado|informado|comentado|aclarado|repetido|respondido)",
        r"(?:ya|como) se (?:te|le|les|os) (?:lo )?(?:indico|dijo|explico|comento|informo|aviso|aclaro|comunico|menciono|explicaron|dijeron|"
        r"respondio|contesto)",
        r"(?:te|le|les|os) (?:lo )?(?:informamos|avisamos|dijimos|notificamos|explicamos|comunicamos|indicamos) en su (?:momento|dia)|"
        r"en su (?:momento|dia) se (?:te|le|les) (?:informo|aviso|dijo|explico|notifico|indico)",
        r"como (?:usted )?(?:bien |ya )(?:sabe|sabes|sabra|sabras|sabeis|saben)|as you (?:well |already )?know",
        r"(?<!not\s)clearly (?:state\w*|say\w*|said|show\w*|explain\w*|mention\w*|list\w*|indicat\w*|mark\w*|label\w*|display\w*|written)",
        r"(?:we've|we have|i've|i have) (?:already )?(?:been over|gone over|been through|covered) (?:this|that)",
        r"like (?:we|i) (?:said|mentioned|told you|explained|already said)",
        # it was shown or sent beforehand: "como se indica en", "viene indicado en", "as it says"
        r"(?:se|nos) (?:avisa|informa|indica|explica|ofrece) (?:en|al) (?:todos|todas|comprar|contratar|reservar|la"
        r" web|el correo)",
        r"(?:recibiste|se te envio|se le envio|firmaste|aceptaste) al (?:contratar|comprar|reservar)",
        r"(?:shown|stated|explained|listed|displayed|mentioned|made clear) (?:clearly )?(?:when you|in the \w+"
        r" section when you) (?:book|sign|buy|order)|(?:shown|displayed) clearly",
        r"(?:it|that) says so",
        r"(?:we'd always|we always|we'd) recommend (?:reading|checking)",
        r"we do always say|(?:siempre|always) (?:lo )?(?:decimos|recomendamos|say|tell)",
        r"(?:pone|dice|indica|aparece|figura) (?:bien |muy )?(?:claro|claramente)",
        r"como se (?:indica|explica|detalla|informa|avisa|aclara|especifica) en",
        r"viene (?:indicado|explicado|detallado|especificado|informado) en",
        r"no hace falta repetir\w*",
        r"(?:se mostraba|aparecia|se indicaba|se veia|se informaba|estaba) (?:\w+ )?antes de"
        r" (?:confirmar|pagar|comprar|aceptar)",
        r"(?:esta|viene) (?:bien |todo |muy )?(?:explicado|indicado|detallado) (?:paso a paso )?(?:\w+ ){0,3}en"
        r" (?:la|el|nuestra|nuestro|las|los)",
        r"(?:te|le) (?:enviamos|mandamos) (?:un|una) (?:correo|mail|email|sms|aviso|carta) (?:\w+ ){0,3}antes",
        r"(?:set out|explained|announced|stated|included) in the (?:email|letter|notice|text) we sent",
        r"as it says",
        r"(?:customers|passengers|members|users|guests|travellers) are (?:always )?asked to"
        r" (?:check|confirm|read|keep|make sure)",
        r"(?:which is why )?we always (?:recommend|advise|suggest)",
        r"first place to (?:look|check)",
        r"(?:the app|the site|the website|the page|the email|it) (?:does|did) (?:warn|tell|remind|notify|show) you",
        r"asi (?:consta|figura|se indica|aparece|viene) en",
        r"(?:do|does) say (?:they|it|that)",
        r"faqs? already (?:answers|covers|explains)|(?:explained|covered|answered) in our faqs?|as covered in"
        r" (?:our|the)",
        r"check (?:there|it|the \w+ page) before (?:messaging|contacting|tweeting|writing to) us",
        r"(?:was|were|is) in the (?:email|letter|text|sms) we sent",
    )),
    "not_us": (("se quita la culpa", "shifts the blame away from us"), _rx(
        # "eso no es culpa nuestra", "no depende de nosotros", "not down to us", "the airline's fault, not ours"
        r"no es (?:culpa|responsabilidad|decision|problema) (?:nuestr[oa]|de \w+)", r"no (?:es|son) (?:nuestra|nuestro) (?:culpa|responsabilidad|problema)",
        r"no (?:depende|depend\w*) (?:solo |solamente )?de nosotros", r"(?:y|pero) no (?:de nosotros|nuestr[oa])", r"no con nosotros",
        r"no es solo nuestro", r"no por nosotros", r"no (?:somos|nos hacemos) responsables", r"no (?:tenemos|tengo) (?:la )?culpa",
        r"nada que ver con nosotros", r"no nos corresponde", r"no podemos hacernos cargo", r"no podemos hacer nada",
        r"(?:es|son|sera) (?:responsabilidad|cosa|culpa) (?:del|de la|de los|de las|de tu|de su)", r"(?:la )?culpa (?:es|fue) (?:del|de la|de los|de tu|de su)",
        r"(?:eso|esto) es (?:del|de tu|de su) (?:banco|operador|proveedor)", r"fuera de nuestro (?:control|alcance)", r"ajen[oa]s? a (?:nosotros|nuestra)",
        r"no esta en nuestras manos", r"no es algo que (?:nosotros )?podamos", r"(?:ahora|ya) depende de (?:ti|vos|usted)",
        r"(?:not|isn't|is not) (?:really |actually |exactly )?(?:our fault|down to us|up to us|our responsibility|our problem|on us)",
        r"no es (?:realmente |precisamente )?(?:nuestro problema|nuestra culpa|nuestra responsabilidad)", r",? no (?:de )?nuestr[oa]s?(?=\s*[.!,;]|$)",
        r"no (?:podemos|puede|pueden) (?:hacernos|hacerse) responsables?|no nos (?:responsabilizamos|hacemos cargo)",
        r"(?:tema|asunto|cuestion|problema) (?:de|del|de la) (?:tu|su) (?:banco|operador|compania|proveedor|aseguradora|entidad|router|equipo|"
        r"dispositivo|telefono|celular|movil|tarjeta)",
        r"la responsabilidad (?:\w+ ){0,5}(?:es|era|recae|corresponde) (?:del|de la|al|a la|en el|en la|de los) (?:titular|client\w+|usuari\w+|"
        r"asegurad\w+|comprador\w*|pasajer\w+|socio|abonado)",
        # "we did our part": "nosotros cumplimos con el plazo", "we met our obligations"
        r"(?<!no\s)(?:nosotros )?cumplimos (?:con )?(?:el|la|los|las|nuestra|nuestro|nuestras|nuestros|lo)(?!\w)",
        r"we (?:met|fulfilled|honou?red|kept) (?:our|the|all our) (?:obligations?|commitments?|deadline|end|side)|we did our (?:part|job|bit)",
        r"(?:we're|we are|we) not to blame",
        r"(?:we are|we're) not (?:responsible|liable)", r"cannot be held (?:responsible|liable)", r"(?<=[,;]\s)not (?:ours|us|our fault)(?=\s*[.!,;]|$)",
        r"not by us", r"not (?:on|from) our (?:side|end)", r"(?:nothing|not anything) to do with us",
        r"(?:can'?t|cannot|don'?t|do not) (?:really )?control|no (?:controlamos|podemos controlar)",
        r"(?:outside|beyond) (?:of )?(?:our|their|its|the \w+'?s?) control",
        # third parties as the excuse: "our couriers are independent contractors", "sold by a third-party seller"
        r"(?:are|is|son|es) (?:\w+ )?(?:independent|self-employed|third[- ]party) (?:contractors?|couriers?|drivers?|riders?|sellers?|partners?)",
        r"(?:trabajadores|repartidores|conductores|contratistas|vendedores|vendedor|tienda|seller) (?:es |son )?(?:independientes|autonomos|"
        r"extern[oa]s?)",
        r"(?:sold|shipped|fulfilled|provided) by (?:a |an )?(?:third[- ]party|external|independent|partner) (?:seller|merchant|store|provider)",
        r"(?:needs? to|will need to|must|has to) go (?:to|through) (?:them|the seller|the manufacturer|the airline)",
        r"(?:depende|dependen|depends|depend) (?:\w+ )?(?:de tu|de su|del|on your|on the) (?:banco|bank|entidad|emisor|card issuer|operador|"
        r"proveedor|provider|carrier)",
        r"no depende de (?:la |el )?(?:aerolinea|empresa|compania|tienda|marca|restaurante|banco)", r"not in our hands",
        r"(?:isn'?t|is not|not) something we (?:can )?(?:fix|help with|control|change|handle)",
        r"nothing (?:more )?we can do", r"(?:are|is) (?:responsible|liable) for their own", r"ball is in your court",
        r"(?!nobody|one|anyone|anybody|everyone|someone)\w+'s (?:fault|responsibility)", r"(?:is|it's|that's|this is) down to (?:your|the)",
        r"(?:that's|that is|it's|it is) (?:down to|up to|a matter for|an issue for|a question for) (?:the|your)",
        r"(?:you'll need to|you need to|you have to|you'll have to|you should|please) take (?:it|this|that) up with",
        r"(?:restaurant|seller|merchant|courier|driver|rider|bank|airport|partner|carrier|manufacturer|store)'?s? (?:fault|responsibility|problem)",
        r"(?:primero|first) (?:con|with) (?:tu|su|your) \w+",
        # the cause is someone else's: "rather than ours", "out of our hands", "no fue un error nuestro"
        r"rather than (?:ours|us|our|anything (?:on|at) our|the app|the network|our network|the line|the"
        r" service|[a-z]+ itself)",
        r"(?:on|at) (?:the |your |their )?(?:\w+'s |\w+ )?(?:side|end) rather than",
        r"(?:down to|is with|lies with|on) (?:them|the \w+|your \w+|the \w+'s \w+|[a-z]+'s \w+) rather than"
        r" (?:us|ours|anything)",
        r"out of (?:our|anyone's|anybody's) (?:hands|control)",
        r"(?:outside|beyond) (?:of )?anyone'?s control|nobody (?:can )?controls?|ninguna? \w+ (?:controla|puede"
        r" controlar)",
        r"(?:not|isn't|is not|wasn't) something (?:we're|we are|our team|we|anyone) (?:\w+ )?(?:able to |can"
        r" )?(?:control|decide|decides|changing|change)",
        r"(?:that's|that is|it's|it is) (?:really )?one for (?:apple|google|samsung|them|the|your)",
        r"(?:no es|no fue|no era) (?:un |una )?(?:error|fallo|falla|decision|problema|cosa|algo) nuestr[oa]|(?:el|la)"
        r" (?:error|culpa) no (?:fue|es) nuestr[oa]|y no algo nuestro",
        r"(?:no|nunca) (?:es|fue) (?:una )?decision (?:nuestra|de la empresa)",
        r"(?:lo que pase|lo que pasa|lo que ocurra) (?:despues|luego) (?:ya )?depende de",
        r"(?:depende|dependen) (?:tambien |mucho |mas )?(?:de la conexion|del ajuste|de la app del|de la otra|de"
        r" ellos|del banco|de tu banco)",
        r"es responsabilidad de (?:cada|el|la|los|las)|is (?:each|every) (?:passenger|customer)'?s responsibility",
        r"(?:run|operated|managed|handled|controlled) by the (?:airport|council|local authority|network"
        r" operator|landlord)(?:'s \w+ team)?(?:,| so) ",
        r"(?:aren't|are not|isn't|is not|wasn't|weren't) something (?:we|we're able to|we are able to|we can|our team"
        r" can) (?:\w+ )?(?:control|decide|change|fix)",
        r"can'?t be held (?:responsible|liable)",
        r"(?:is|are|lies) (?:on|with) (?:their|the \w+'?s?|the \w+) (?:side|end)(?! of)",
        r"escapan? a nuestro control|(?:no|y no) una (?:falla|culpa) nuestra",
        r"(?<=[,;]\s)no nosotros|no (?:vino|viene|vienen|es|fue) de nosotros",
        r"(?:el problema )?(?:esta|es) del lado de (?:tu|su|el|la)|el problema es de (?:tu|su)"
        r" (?:banco|compania|compañia|operador|proveedor|entidad|celular)",
        r"(?:tendrias|tendria|tenes|tienes|tiene) que (?:verlo|consultarlo|hablarlo|reclamarlo) con (?:ellos|tu"
        r" banco|su banco|el banco)|consultalo con ellos",
        r"no podemos responder por",
        r"no dependen? de (?:la |el )?(?:aerolinea|empresa|compania|tienda|marca|restaurante|banco|nosotros)",
        r"no es un problema (?:de|en) (?:nuestra|nuestro|la red|el sistema)",
        r"nosotros solo (?:nos encargamos|hacemos|somos)",
        r"(?:on|at) the other (?:bank|company|provider)'?s (?:side|end)",
        r"can'?t vouch for",
        r"(?:was|were) on (?:their|the \w+'?s?) (?:side|end)(?! of)",
        r"any delay (?:now )?is (?:with|on|at)",
    )),
    "your_fault": (("culpa al cliente", "blames the customer"), _rx(
        # "deberías haber revisado", "you should have read", "es porque la mochila no cumplía", "mal uso"
        r"(?<!no\s)(?:deberias|debiste|debias|tendrias que|tenias que|deberiais|usted deberia|usted debio|vos deberias|debio usted|"
        r"debia usted|deberia usted|debiera usted) "
        r"(?:haber\w*|revisar|leer|fijarte|fijarse|avisar|llamar|comprobar|mirar)",
        r"(?:usted|vos|tu) (?:deberia|debio|tendria que|tenia que|debe|tiene que|debias|tenias que) (?:haber|revisar|leer|fijarse|fijarte|comprobar|verificar)",
        r"(?:debes|debe usted|tienes que|tenes que) (?:revisar|leer|verificar|comprobar|fijarte) (?:antes|primero|bien)",
        r"lo suyo habria sido", r"eso (?:lo )?(?:tienes|tenes|tiene) que (?:revisar|ver|hablar|consultar)",
        r"si (?:hubieras|hubiera|hubieses|hubiese|hubieran) (?:leido|revisado|mirado|llamado|avisado)",
        r"(?:cuando|si) no (?:se )?(?:lee|lees|leen|revisa|revisas|revisan|fija|fijas) (?:bien|las|los|el|la)",
        r"que no (?:ha|has|haya|hayas|habeis|han) (?:revisado|leido|mirado|comprobado|actualizado)",
        r"(?:es|fue) porque (?:tu|su|usted|vos|no)", r"(?:es|fue) porque (?:\w+ )?(?:tenes|tienes|pusiste|escribiste|usaste|elegiste|marcaste|ingresaste|cargaste|olvidaste)",
        r"(?:porque|ya que|dado que|puesto que) (?:usted |tu |vos )?no \w+(?:aste|iste)", r"(?:porque|ya que|dado que|puesto que) (?:usted|vos|tu) no",
        r"(?:debido a|se debe a|es por) (?:\w+ ){0,6}que (?:usted |vos |tu )?\w+(?:aste|iste)",
        r"seguramente (?:\w+ )?\w+(?:aste|iste)", r"(?:quizas|quiza|tal vez|a lo mejor) no \w+(?:aste|iste)",
        r"(?:probablemente|puede que|es probable que) (?:usted |tu |vos )?(?:no )?(?:hayas|haya|ingresaste|pusiste|olvidaste|elegiste|marcaste|escribiste)",
        r"(?:entendiste|entendio|entendieron|hayan entendido|haya entendido|hayas entendido) mal", r"(?:fijate|fijese|fijaos) si",
        r"(?:sugerimos|recomendamos) (?:revisar|consultar|verificar|comprobar) (?:quien|si|primero|con)",
        r"(?:tenes|tienes|tiene|tenias|tenia) (?:\w+ )?mal (?:cargad|puest|escrit|configurad|ingresad|introducid)\w*",
        r"(?:pusiste|escribiste|ingresaste|diste|usaste|elegiste|cargaste|puso|escribio|ingreso|dio) (?:\w+ )?(?:\w+ )?(?:mal|equivocad[oa]|incorrect[oa]|erronea|erroneo)",
        r"el error (?:fue|es) (?:tuyo|suyo|de usted)", r"(?<!no\s)(?:fue|es) (?:un )?error (?:tuyo|suyo|de usted)",
        r"(?<!no\s)(?:por|es) (?:tu|su) culpa", r"culpa (?:tuya|suya)", r"(?:es|sera) (?:tu|su) responsabilidad",
        r"(?:lo|la|los|las) (?:elegiste|seleccionaste|contrataste|marcaste|aceptaste|eligio|selecciono|contrato) (?:al|cuando|en el momento)",
        r"quien \w+ (?:\w+ ){0,3}fue (?:usted|tu|vos)", r"(?:fue|fuiste) (?:usted|tu|vos) (?:quien|el que|la que)",
        r"(?:no estabas|no se encontraba|usted no estaba) en (?:casa|tu domicilio|su domicilio)", r"mal uso", r"uso indebido",
        r"(?:se te paso|dejaste pasar|no respetaste|no cumpliste) (?:el|los) plazos?", r"debe (?:de )?ser (?:tu|su) \w+",
        r"(?:la proxima vez|next time),? (?:please )?(?:revisa|revise|lee|lea|fijate|fijese|asegurate|asegurese|verifica|verifique|comprueba|"
        r"check|read|make sure|double-check)",
        r"antes de (?:reclamar|quejarte|quejarse|escribirnos)|before (?:complaining|you complain|raising a complaint)",
        r"(?:asi que|so) (?:la garantia|the warranty|your warranty|la cobertura|the cover) (?:no aplica|no cubre|doesn'?t apply|does not apply|is void)",
        r"(?:voids?|invalidates?|anula) (?:the|your|la|tu|su) (?:warranty|garantia|cover|cobertura)",
        r"(?:no esta cubiert[oa]|isn'?t covered|is not covered|not covered) (?:\w+ ){0,2}(?:if|si|when|cuando) (?:\w+ ){0,3}"
        r"(?:no original|non-original|third-party|not original|de terceros|you)",
        r"you should'?ve", r"you should (?:have|check|read|make sure|ask|know|contact|be aware)", r"you (?:need|needed) to (?:have|read)",
        r"(?:had you|if you had|if you'?d) \w+(?:ed|en)", r"if you (?:had|would have) (?:read|checked|called|followed)",
        r"if you'?d (?:read|checked|called|looked|followed|paid)", r"you'?d have (?:seen|known|noticed)", r"(?:when|if) you don'?t (?:read|check|follow)",
        r"(?:that|because|since|as) you (?:haven'?t|have not|didn'?t|did not|failed to|never|forgot to|weren'?t|were not)", r"you failed to",
        r"because (?:\w+ ){0,3}you (?:gave|entered|chose|selected|provided|used|didn'?t|did not|forgot|missed|ordered|booked|failed)",
        r"which you (?:didn'?t|did not|never|failed to|chose|selected|picked|entered|provided|requested|agreed to|accepted|signed)",
        r"(?:que|la que|el que|los que|las que) (?:usted|tu|vos) (?:indico|indicaste|eligio|elegiste|selecciono|seleccionaste|marco|marcaste|"
        r"puso|pusiste|dio|diste|ingreso|ingresaste|escribio|escribiste|acepto|aceptaste|firmo|firmaste)",
        r"por eso se (?:le|te|les) (?:cobro|cobraron|aplico|cargo|penalizo|cancelo|suspendio|bloqueo)",
        r"you missed (?:the|your) (?:deadline|window|cut-?off|appointment|payment|slot)",
        r"you (?:probably|must have|may have) (?:entered|typed|selected|forgot|forgotten|missed|misread|ignored|skipped)",
        r"you (?:entered|typed|put|gave|selected|chose|used|provided) (?:the |an? |your )?(?:wrong|incorrect|old|invalid|outdated)",
        r"you (?:chose|selected|picked|opted for|agreed to) (?:this|that|it|them) (?:when|at)", r"(?:was|were) (?:selected|chosen|entered|ticked) (?:at checkout|when you)",
        r"you (?:just )?(?:weren'?t|were not) (?:home|in|there|available|around)", r"you(?:'re| are| were) the one who",
        r"(?<!not\s)(?<!n't\s)(?:it's|it is|that's|was) your (?:fault|responsibility)", r"(?<!not\s)(?<!n't\s)(?<!never\s)(?:your|the customer'?s) (?:mistake|error)",
        r"(?:is|are) the (?:customer|account holder|cardholder|policyholder)'?s? responsibility", r"user error",
        r"(?:caused by|due to|because of) (?:your|you)", r"(?:must be|is probably|it's probably|is likely|it's likely) your",
        r"(?:asi que|so) (?:el problema|la falla|the problem|the issue|the fault) (?:es|esta|is|lies) (?:tu|en tu|de tu|your|on your|with your)",
        r"(?:problem|issue|fault|problema|falla|fallo) (?:is|lies|es|esta) (?:on|with|de|con|en) (?:your|tu|su) "
        r"(?:side|end|bank|provider|device|router|phone|banco|equipo|celular|movil|operador)",
        r"(?:something|issue|problem|fault) (?:\w+ ){0,2}(?:at|on) your (?:end|side)",
        r"you may want to check", r"(?:may be|might be|it's|it is|could be) worth (?:asking|checking|looking)",
        r"make sure you(?:'re| are) using (?:the )?(?:original|official|correct|right)",
        r"(?:you|someone else) (?:may|might|must) have shared", r"someone else must", r"who you'?ve shared",
        r"(?:if you have|you have|you're using|you are using) an? (?:old|outdated|older) (?:version|app|device|phone)",
        r"(?:simply|just|simplemente|solamente) (?:went up|increased|rose|subio|aumento|consumiste|usaste|gastaste|used more)",
        r"please be patient|sea paciente|(?:ten|tene|tenga) paciencia",
        # "conviene revisarlo de vez en cuando", "worth checking it regularly": the customer should have been watching
        r"(?:check|checking|revisar|revisarlo|revisarla|revisarlos|mirar|mirarlo|consultar|consultarlo) (?:\w+ ){0,3}(?:regularly|regularmente|"
        r"periodicamente|de vez en cuando|cada tanto|from time to time|frecuentemente|a menudo)",
        # "that's on you" (but "that's on us" is an apology); "eso te pasa por no actualizar"
        r"(?:that's|that is|this is|it's|it is|that one's|the onus is) (?:all |entirely )?on you",
        r"(?:te|le|les|os) (?:pasa|paso|pasara) por no", r"that's what happens (?:when|if) you",
        # what the customer did not do: "usted no leyó bien", "no cumpliste el plazo", "you didn't follow the instructions"
        r"(?<!si\s)(?:usted |vos |tu )?no (?:lo |la |los |las )?(?:leiste|revisaste|cumpliste|respetaste|seguiste|actualizaste|"
        r"verificaste|comprobaste|atendiste|presentaste|avisaste|cancelaste|activaste|configuraste|guardaste|confirmaste|aprobaste|pagaste|completaste|"
        r"validaste|respondiste|contestaste)(?!\w)",
        r"(?:usted|vos|tu) no (?:leyo|reviso|cumplio|respeto|siguio|actualizo|verifico|comprobo|atendio|presento|aviso|cancelo|activo|"
        r"configuro|guardo)(?!\w)",
        r"(?:claramente|evidentemente|obviamente) no (?:leiste|leyo|revisaste|reviso|viste|vio|te fijaste|se fijo)",
        r"(?<!if\s)you (?:obviously |clearly |evidently |apparently )?(?:didn'?t|did not|never) (?:follow|read|check|update|register|activate|"
        r"cancel|tell us|notify|inform|contact|pay|submit|attend|answer|respond|bother|approve|confirm|complete|verify|accept|reply)",
        r"you (?:obviously|clearly|evidently|apparently) (?:haven'?t|have not|don'?t|do not|missed|ignored|forgot|misread|skipped)",
        r"(?:revisa|revise|lee|lea|fijate|fijese|read|check) (?:\w+ ){0,5}(?:la proxima vez|next time)",
        # the customer's setup or choices as the cause: "si hubieras activado...", "usually down to the phone",
        # "para la próxima, pagá antes"
        r"si (?:hubieras|hubiera|hubieses|hubiese|hubieran|hubierais) (?:\w+ )?\w+(?:ado|ido|to|cho|esto)",
        r"if (?:you|the \w+|the \w+ \w+|your \w+|your \w+ \w+) (?:had|'d) (?:been )?\w+(?:ed|en|ne|de|id|ld|ght)",
        r"as long as you'?d",
        r"(?:suele|suelen|casi siempre|normalmente|generalmente) (?:venir|deberse|se debe|ser) (?:de |a |del |al"
        r" )?(?:\w+ ){0,2}(?:telefonos?|celulares?|moviles?|wifi|router|dispositivos?|usuarios?|clientes?|tu"
        r" equipo|su equipo|la casa)",
        r"(?:usually|almost always|mostly|nearly always|often) (?:\w+ ){0,2}(?:a phone issue|(?:down to|comes? down"
        r" to|comes? from|caused by) (?:the phone|your phone|the device|your device|the customer|your own|the"
        r" home|your home)|an? (?:ad blocker|vpn))",
        r"(?:usually|almost always|mostly|most) (?:\w+ ){0,3}(?:turn out to be|happen on older|happens on older)",
        r"(?:customer|user|member|passenger)'?s? own (?:equipment|wiring|device|phone|router|settings|fault)",
        r"(?:el|la) propi[oa] (?:usuario|cliente|titular|pasajero)",
        r"(?<!lo\s)(?<!la\s)(?:revisa|revise|revisad|revisen) (?:eso |esto )?primero|primero"
        r" (?:revisa|revise|revisá|tienes que|hay que)|(?:revisa|revise) primero tu",
        r"(?:keep it|keep your app|keep the app) updated to avoid|which avoids this",
        r"para la proxima,? (?:\w+ )?(?:paga|pague|revisa|revise|pedi|pide|pida|conviene|acordate|recorda|recuerda|te"
        r" sugerimos|le sugerimos|te recomendamos|le recomendamos)",
        r"la proxima vez,? (?:recorda|recuerda|acordate|conviene|avisa|te sugerimos|le sugerimos|te recomendamos)",
        r"(?:habia|hay|habria) que (?:hacerlo|pedirlo|pagarlo|pedirla|reservarlo|hacer el|solicitarlo) (?:antes|con)",
        r"no hace falta (?:pedirlo|escribir|preguntar|mandar|volver a)|no hacia falta",
        r"solo hay que (?:buscarlo|mirar|leer|entrar)",
        r"(?:que|la que|el que) (?:marcaste|elegiste|seleccionaste|indicaste|pusiste) (?:al|en|cuando)",
        r"(?:you|which you) (?:picked|chose|selected|ticked|opted for) (?:\w+ ){0,3}(?:at checkout|when you|at"
        r" booking)",
        r"(?:es|sera|fue) (?:un )?(?:tema|asunto|problema|cosa) (?:del|de tu|de su)"
        r" (?:telefono|celular|movil|equipo|router|dispositivo|fabricante|banco|wifi|conexion)",
        r"el problema (?:es|esta en) (?:tu|su)"
        r" (?:conexion|red|wifi|router|equipo|telefono|celular|movil|dispositivo|internet)",
        r"seguramente (?:sea|es|fue) (?:algo|un tema|cosa)|seguramente el proceso no",
        r"en algun momento (?:se )?(?:acepto|aceptaste|marcaste|contrataste|activo|activaste|firmo|firmaste)",
        r"(?:en tu caso|en su caso|en tu pedido|en su pedido) quedo (?:marcad|seleccionad|elegid)[oa]",
        r"depende (?:tambien |mucho )?de (?:tu|su) (?:red|conexion|internet|wifi|linea) (?:de casa|domestica)?",
        r"(?:se|si se|cuando se) (?:ingresa|introduce|escribe|pone|marca) mal",
        r"(?:so|which means) your (?:phone|device|app|tv|router|browser) (?:probably|likely|must|may)",
        r"(?:matches|matched|match) (?:exactly )?what (?:was|you|you'd)"
        r" (?:selected|ordered|chose|picked|typed|entered)",
        r"(?<!how\s)(?:your \w+|he|she|they) should (?:really |probably |already )?(?:have|'ve) (?:been"
        r" )?\w+(?:ed|ne|wn)|should really have been \w+ed",
        r"(?:do|please) remember to (?:send|check|read|pay|keep|update|submit)",
        r"(?:it's|it is) always (?:a good idea|worth|best)",
        r"next time,? (?:it's|it is) worth",
        r"(?:most likely|probably|likely|almost certainly) (?:\w+ )?your"
        r" (?:tv|phone|device|router|wifi|own|bank|browser|settings|network)",
        r"(?:it's|it is|is) up to (?:the )?(?:account"
        r" holders?|customers?|you|passengers?|members?|cardholders?|policyholders?) to",
        r"to avoid (?:exactly )?this",
        r"lo mejor es (?:esperar y )?no volver a",
        r"habia que (?:leer|revisar|mirar|comprobar)\w* (?:\w+ ){0,2}antes",
        r"siempre insistimos en",
        r"(?:te|le) recomendamos (?:\w+ )?siempre",
        r"worth (?:\w+ )?(?:checking|double-checking|reading|measuring) (?:\w+ ){0,4}before"
        r" (?:buying|paying|booking|you|ordering)",
        r"we'?d (?:really )?recommend (?:saving|keeping|checking|reading)",
        r"you did (?:agree|sign|accept|choose|select|tick|pick)",
        r"(?:that's|that is) (?:the \w+ )?(?:what )?you(?:'re| are) paying for",
        r"(?:usually|often|mostly) caused by (?:non-original|third-party|cheap|unofficial)",
    )),
    "hindsight": (("sermonea al cliente con lo que debió hacer", "lectures the customer on what they should have done"), _rx(
        # the reply explains the problem by something the customer did or missed: "si no lo
        # respondiste, por eso...", "conviene leerla con atención", "so do take care next time"
        r"(?:si no|al no|cuando no) [^.;!?]{3,60}(?:por eso|por lo que|de ahi que)",
        r"(?:si no|al no|cuando no) (?:\w+ ){0,2}(?:respondes|respondiste|responde|contestas|contestaste|confirmas|confirmaste) "
        r"(?:\w+ ){0,3}(?:se cobra|se cancela|se pierde|se bloquea|se aplica|queda)",
        r"conviene (?:\w+ ){0,1}(?:revisar\w*|leer\w*|mirar\w*|comprobar\w*|fijarse|fijarte|verificar\w*) (?:\w+ ){0,3}"
        r"(?:bien|con atencion|antes de)",
        r"(?:siempre )?(?:te|le|les|os) recomendamos no|siempre recomendamos",
        r"(?:puede|podria) que (?:se |lo |la )?(?:haya|hayas|hayan|hubiera|hubieras) (?:\w+ )?(?:sin querer|mal|por error|por equivocacion)",
        r"(?:hay que|habria que) ver si fue (?:tu|su) caso",
        r"(?:revisa|revise|revisen|fijate|fijese|mira|mire|lee|lea) bien (?:tu|su|el|la|los|las)",
        r"(?:insistir|escribir (?:varias|muchas|tantas) veces|mandar (?:mas|varios) mensajes) no (?:lo )?(?:acelera|agiliza|ayuda)",
        r"(?:normalmente|generalmente|casi siempre) (?:esto |eso )?(?:pasa|ocurre|sucede) cuando (?:se|el cliente|usted|tu|vos|alguien)",
        r"(?:,|y) no nosotros|ahi no podemos hacer (?:mucho|nada)",
        r"lo indica la pantalla|asi se (?:indica|informa|avisa|explica) (?:al|en|cuando)",
        r"(?:ten|tenga|tene|tengan) en cuenta que (?:\w+ ){0,4}(?:depende|tu|su|usted|vos)",
        r"depende (?:tambien )?(?:del|de (?:tu|su)) (?:modelo|celular|movil|telefono|equipo|router|dispositivo|wifi|instalacion)",
        r"para evitarlo,? (?:\w+ )?(?:pague|paga|pagues|revise|revisa|lea|lee|actualice|actualiza|responda|responde)",
        r"por (?:el|su|tu) pago (?:tardio|atrasado|fuera de plazo)|por (?:no pagar|pagar tarde|falta de pago)",
        r"(?:el|la) (?:tuy[oa]|suy[oa]) (?:llego|vino|estaba|fue|se envio) (?:sin|incomplet\w*|mal)",
        r"(?:lo|eso) (?:tuvo|tenia|debio|debia) (?:que )?(?:revisar|ver|comprobar|verificar)(?:lo)? (?:su|tu|el|la)",
        r"(?:la|el) (?:administracion|conserje|consorcio|restaurante|fabricante|comercio|tienda|vendedor) deberia",
        # English
        r"(?:please |do )?take (?:more )?care next time|next time,? (?:please )?(?:make sure|check|read|remember|be sure)|"
        r"in (?:the )?future,? (?:please )?(?:make sure|check|read|remember)",
        r"(?:you|he|she|they|your \w+) should(?:'ve| have) (?:checked|read|looked|asked|called|confirmed|updated|replied|mentioned|"
        r"told|kept|noticed)",
        r"so (?:it's|it is) (?:really |always |very )?(?:worth|important|best|wise)",
        r"(?:please )?(?:check|make sure) (?:when|whether) you|please check (?:it|that it) (?:wasn'?t|was not)",
        r"(?:may|might|could) have been (?:left|lost|misplaced|forgotten|dropped|chosen|selected|entered|typed|accepted|tapped)",
        r"(?:doesn'?t|does not|don'?t|do not) necessarily mean",
        r"only (?:applies|affects|happens|works) (?:when|if|to|on) (?:\w+ ){0,3}(?:that|who) (?:haven'?t|have not|don'?t|didn'?t|did not)",
        r"only applies (?:when|if)",
        r"(?:lots of|many|most|some) (?:passengers|customers|people|users|members|guests|clients) (?:\w+ )?(?:assume|think|believe|forget|"
        r"don'?t realise|don'?t realize|misread)",
        r"(?:the|what) (?:documents?|statement|information|details|photos|evidence|licen[cs]e|form) you (?:submitted|gave|provided|uploaded|sent|filled)",
        r"(?:could|can) only go by|(?:based|decided) on the (?:evidence|information|documents) we had",
        r"for the record|(?:every|each|all) (?:users?|customers?|members?|subscribers?) (?:\w+ )?(?:accepted|agreed to|signed)",
        r"nothing was (?:actually )?(?:billed|charged|done|sent|applied) (?:in error|wrong\w*|incorrectly|by mistake)",
        r"(?:page|screen|app|site|website|email|bill|notice|box|label|confirmation|checkout|it) (?:does|did) (?:say|show|state|mention)",
        r"(?:was|were|is|are) (?:in|on) your (?:original )?(?:agreement|contract|account page|confirmation|booking confirmation)",
        r"that'?s (?:likely|probably|most likely|almost certainly) (?:what happened|why)",
        r"(?:our|the) (?:meters?|systems?|readings?) (?:don'?t|do not|never|can'?t) (?:invent|make up|lie)",
        r"something (?:in|at) (?:the|your) (?:home|house|property|flat|apartment) (?:was|must have been) (?:running|using|left on|on)",
        r"(?:so )?you should (?:always )?(?:pay|read|check|make sure|update|reply|confirm)",
        r"(?:can|may|will|are) (?:be )?(?:released|cancelled|forfeited|voided|given away) if (?:a |the )?(?:passenger|customer|guest|you)",
        r"(?:riders|drivers|couriers|technicians|engineers|agents) are (?:asked|told|instructed|trained) to",
        r"conviene (?:\w+ ){0,1}(?:revisar\w*|leer\w*|mirar\w*|comprobar\w*|verificar\w*) (?:\w+ ){0,5}antes de",
    )),
    "argues": (("discute con el cliente", "argues with the customer"), _rx(
        # "según el GPS el conductor sí pasó", "our records show", "the charge stands", "that's not true"
        r"(?:segun|de acuerdo (?:con|a)) (?:nuestro|nuestros|el|los) (?:sistema|sistemas|registro|registros|gps|app|datos),? " + _w(3)
        + r"(?:si|usted|tu|vos|ya)",
        r"(?:our|the) (?:records|system|systems|gps|logs?|data|tracking|driver'?s app|rider'?s app) (?:show|shows|say|says|confirm|confirms|indicate|indicates) "
        r"(?:that )?(?:you|your|he|she|they|the (?:driver|rider|courier|technician|engineer|parcel was|order was))",
        r"(?:doesn'?t|does not|no) (?:match|coincide con) (?:our|nuestros|nuestro) (?:records|registros|sistema)",
        r"(?:lo que|what) (?:cuentas|contas|dices|decis|comentas|cuenta|dice|comenta|you say|you describe|you're describing|you are describing) "
        r"(?:no|doesn'?t|does not|isn'?t|is not) (?:coincide|es asi|cuadra|match|what|true|accurate)",
        r"(?:charge|fee|decision|denial|rejection|assessment|cobro|cargo|dictamen|rechazo|resolucion) "
        r"(?:stands|is correct|was correct|was right|es correct[oa]|fue correct[oa]|se mantiene|procede)",
        r"(?:asi que|por lo que|so|which is why|that's why) (?:el|la|the) (?:cobro|cargo|tarifa|fee|charge|penalty|penalidad|multa|recargo) (?:\w+ )?"
        r"(?:corresponde|es correct[oa]|aplica|applies|stands|is correct|is valid|was applied|se aplico)",
        r"(?:compensation|refund|reembolso|compensacion|indemnizacion) (?:\w+ ){0,2}(?:doesn'?t|does not|won'?t|no) (?:apply|aplica|procede|corresponde)",
        r"(?:el|la) (?:tecnico|tecnica|repartidor|repartidora|conductor|mensajero|rider|cartero|instalador|transportista|chofer|domiciliario|"
        r"motorizado|courier) si (?:llego|paso|fue|intento|estuvo|acudio|se presento|entrego|te llamo|le llamo|lo entrego|toco)",
        r"(?:driver|courier|rider|technician|engineer|postman|carrier) (?:did|did in fact|in fact) (?:arrive|attempt|try|visit|deliver|call|knock|ring|attend)",
        r"(?:did|did in fact) (?:turn up|show up|come round|come by|attempt delivery)",
        r"(?:agente|agent|staff|equipo|team|tecnico|technician|driver|repartidor|conductor|sistema|system|meter|medidor|contador|crew|personal|"
        r"empleado|employee) (?:\w+ ){0,4}(?:correctamente|correctly|properly|as expected|by the book|"
        r"conforme al (?:protocolo|procedimiento)|segun (?:el )?(?:protocolo|procedimiento))",
        r"(?<!ya\s)(?<!now\s)(?:app|sistema|red|servicio|system|network|service|platform|plataforma|web|website) (?:funciona|works|is working) "
        r"(?:bien|correctamente|perfectamente|fine|properly|perfectly|as it should)(?! (?:again|now|de nuevo|otra vez))",
        r"working as (?:intended|designed|expected)",
        # "so the parcel was delivered", "así que el pedido fue entregado"
        r"(?:so|therefore|which means|meaning|asi que|por lo que|o sea que|por tanto|por lo tanto) (?:\w+ ){0,3}(?:was|has been|fue|ha sido|se) "
        r"(?:successfully |correctly |correctamente )?(?:delivered|entregad[oa]|entrego)",
        r"no (?:error|mistake|fault) on our (?:side|end|part)",
        r"(?:no|not any) (?:fault|error|problem|issue) (?:with|in|on) (?:our|the) (?:meter|system|network|app|billing|records|side|service|"
        r"line|platform|product)",
        r"no hay (?:ningun |ninguna )?(?:error|fallo|falla|problema) (?:en|con) (?:nuestro|nuestra|el|la) (?:medidor|contador|sistema|red|app|facturacion)",
        r"ningun error (?:de|por) nuestra parte", r"(?:por nuestra parte|de nuestro lado),? (?:esta )?todo (?:esta )?(?:bien|correcto|en orden)",
        r"(?:on|from) our (?:side|end),? (?:everything|all) (?:was|is|looks) (?:fine|correct|ok|in order)",
        r"(?:we|nosotros) (?:did|hicimos) (?:everything|todo) (?:right|bien|correctly|correctamente)",
        r"(?:hicimos|hemos hecho) todo lo (?:posible|que (?:pudimos|podiamos|estaba))", r"(?:we've|we have|we) done (?:everything|all) we (?:can|could)",
        r"(?:nuestros|nuestras|our) \w+ (?:no cometen|don'?t make|never make|nunca cometen) (?:\w+ ){0,3}(?:errores|mistakes|errors)",
        r"(?:we're|we are|estamos) (?:confident|sure|certain|seguros) (?:that )?(?:our|the|nuestro|el|la)",
        r"(?:that's|that is|this is) (?:not true|incorrect|false)", r"(?:that's|that is) not (?:what happened|the case|correct|accurate)",
        r"(?:you're|you are) (?:wrong|mistaken)", r"(?:eso )?no es (?:cierto|verdad)", r"eso no (?:es asi|fue lo que paso)",
        r"te equivocas|se equivoca|estas equivocad[oa]|esta equivocad[oa]",
        r"(?:that's|that is) (?:just )?how it works", r"(?:that's|that is|it's|it is) (?:simply |just )?not how (?:it|this|our \w+|the \w+) works?",
        r"(?:asi|eso es lo que) funciona(?:n)? (?:el|la|los|las|nuestro)", r"asi no funciona|no funciona asi",
        r"no vamos a discutir\w*|(?:not going to|won't|will not) (?:argue|discuss this)|nothing (?:more|else) to (?:discuss|add|say)|"
        r"no hay (?:nada )?mas que (?:hablar|discutir|anadir|agregar|decir)",
        r"(?:that's|that is|it's|it is) (?:just |simply )?(?:the way it is|how things are|how it is)|(?:es|son) lo que hay|asi son las cosas",
        # "we understand your frustration, but the fee stands"; "sorry you feel that way, but"
        r"(?:entendemos|comprendemos|entiendo|comprendo|understand|appreciate) (?:tu|su|vuestra|your|the) (?:\w+ )?(?:molestia|enojo|"
        r"frustracion|malestar|punto|frustration|annoyance|point|concern|disappointment)s?,? (?:pero|but)(?!\w)",
        r"(?:feel|see it|felt) (?:that way|like that|this way),? but|(?:sientas|sienta|sientan|pienses|piense|opines|opine|veas|vea) (?:de )?asi,? pero",
        r"stand by (?:our|their|the|this) decision", r"mantenemos (?:la|nuestra) decision",
        r"(?:nobody|no one|no other customers?) (?:else )?(?:has|have) (?:reported|complained|had)",
        r"(?:nadie mas|ningun otro cliente|ningun otro usuario|ningun otro vecino) (?:nos )?(?:ha |han )?(?:reportado|reclamado|informado|tenido|se ha quejado)",
        r"(?:most|other|the rest of our) (?:customers|users|people|members) (?:\w+ ){0,2}(?:manage|don'?t|do not|have no|have had no|never)",
        r"(?:la mayoria de|el resto de|otros) (?:los |nuestros )?(?:clientes|usuarios) (?:\w+ ){0,2}(?:no|lo hacen|pueden|consiguen)",
        r"frankly|francamente|(?:only|solo|apenas) (?:lasted|duro|fue de)", r"to be fair",
        r"(?:sentimos|lamentamos) (?:\w+ ){0,3}(?:molestia|molestias|inconveniente|inconvenientes),? pero",
        r"(?:sorry|apologi[sz]e) (?:for (?:the|any) (?:inconvenience|trouble|confusion) )?,? ?but (?:this|that|the|our|your|unfortunately|as|we)",
        # telling an upset customer to calm down, or that it is no big deal ("tranquilo/a" alone reassures, so only the verbs)
        r"calmate|calmese|calmense|calmaos|tranquilizate|tranquilicese|tranquilicense|tranquilizaos|relajate|relajese|serenate|serenese",
        r"(?:no hace falta|no es necesario|no hay necesidad de|no hay por que) (?:ponerse|ponerte|ponerle|gritar|insultar|faltar|"
        r"hablar asi|ese tono|usar ese tono|ser grosero|ser maleducad\w*|levantar la voz|alterarse|alterarte)",
        r"(?:tampoco )?no es para tanto|(?:baje|baja|bajale|bajele|modere|modera) (?:el|su|tu) (?:tono|lenguaje|vocabulario)|"
        r"(?:con|en) ese tono",
        r"calm down|chill out|(?:just |please )?relax(?=\s*[,.!])|(?:watch|mind) (?:your|the) (?:language|tone)|keep it civil|"
        r"(?:there'?s |there is )?no need (?:to be (?:rude|abusive|aggressive|like that)|to shout|"
        r"for (?:that|this|the|such) (?:tone|language|attitude))",
        r"(?:it's|it is|that's|that is|this is) (?:not|hardly) (?:such )?(?:a big deal|the end of the world)",
        # "con todo respeto", "with all due respect" (not "with respect to", "con respecto a")
        r"con (?:todo |todo el |el debido )respeto|with (?:all )?due respect|with all respect",
        # denying there is any problem on our side
        r"no hay (?:ningun |ninguna )?(?:error|fallo|falla|problema|incidencia|averia|anomalia)s? (?:en|con|de) nuestr\w+",
        r"nuestr[oa]s? (?:sistemas?|registros?|plataforma|monitoreo|red) no (?:muestran?|registran?|reflejan?|detectan?|indican?) "
        r"(?:ningun|ninguna|ninguno|nada)",
        r"(?:por nuestra parte|de nuestro lado|desde nuestro lado|desde nuestra parte|de nuestra parte),? (?:\w+ ){0,2}"
        r"(?:funciona|funcionan|esta|estan) (?:\w+ )?(?:bien|correctamente|perfectamente|normal|normalmente|en orden)",
        r"(?:our|the) (?:systems?|records|logs|monitoring) (?:show|shows|indicate|indicates) no (?:issues?|problems?|faults?|errors?|outages?)",
        r"no (?:issues?|problems?|faults?|outages?) (?:on|at|from) our (?:end|side)",
        r"(?:there'?s|there is) (?:absolutely )?nothing wrong with (?:our|the) (?:service|network|app|system|product|meter|billing|platform|"
        r"website|site|connection|line|order|charge|bill|item)",
        r"(?:we|we've|we have) (?:did|done) nothing wrong|no (?:hicimos|hemos hecho) nada (?:mal|malo|incorrecto)",
        r"we never (?:promised|said|guaranteed|offered|told you|agreed)|at no (?:point|time) (?:did|have) we",
        r"en ningun momento (?:te |le |les |se )?(?:prometimos|prometio|dijimos|dijo|garantizamos|garantizo|aseguramos|aseguro|ofrecimos|"
        r"ofrecio|comprometimos)|nunca (?:te |le |les )?(?:prometimos|garantizamos|aseguramos)",
        # only this customer has the problem: "a nadie más le pasa", "works fine for everyone else"
        r"(?:a nadie mas|a ningun otro (?:cliente|usuario|vecino)|a ninguno de nuestros (?:clientes|usuarios)) (?:le |les )?(?:pasa|paso|ha pasado|"
        r"ocurre|ha ocurrido|sucede|ha sucedido|falla)",
        r"(?:a todos|a todos los demas|al resto|a los demas|a otros) (?:\w+ ){0,2}(?:les |le )?funciona",
        r"solo (?:te|le) (?:pasa|ocurre|sucede) a (?:ti|usted|vos)|(?:eres|es usted|sos) (?:el|la) unic[oa] (?:cliente|usuari[oa]|persona)",
        r"(?:works|working) (?:fine|perfectly|ok|okay|normally|well) for (?:everyone|everybody|all|other|most|the rest)",
        r"(?:everyone|everybody) else (?:\w+ )?(?:managed|manages|was able|is able|had no|has no|did|does|got)|"
        r"(?:todos los demas|el resto de (?:los )?(?:clientes|usuarios|pasajeros|vecinos)) (?:\w+ ){0,2}(?:pudieron|lograron|consiguieron|pueden|"
        r"logran|consiguen|no tienen|no tuvieron)",
        r"(?:nobody|no one|no other customers?) (?:else )?(?:is|are|seems to be|has been|have been) "
        r"(?:having|experiencing|seeing|reporting|complaining)",
        r"(?:you're|you are) the only (?:one|customer|person|user)",
        # dismissing the complaint: "no entendemos de qué se queja", "you're free to cancel"
        r"de que (?:se queja|te quejas|se quejan|os quejais)|(?:what|why) (?:you're|you are) complaining|no entendemos (?:la|tu|su) queja",
        r"(?:you're|you are) (?:free|welcome) to (?:cancel|leave|go elsewhere|switch|take your business)|"
        r"(?:eres|es|sos|son) libres? de (?:cancelar|irte|irse|cambiarte|cambiarse|darte de baja|darse de baja|buscar otr)",
        # talking the company up or correcting the customer: "one of the most punctual airlines",
        # "en realidad no hay ninguna caída", "just to clarify", "revisamos y no hay ningún error"
        r"(?:one of|among) the (?:most|best|least) (?:\w+ )?(?:reliable|punctual|rated|trusted|valued|secure|accurate)",
        r"(?:somos|es|son) (?:el|la|los|las|uno de los|una de las) (?:\w+ )?(?:mejor|mejores|mas)"
        r" (?:valorad|puntual|fiable|segur|rapid)\w*",
        r"(?:very|really|extremely) (?:few|low) (?:complaints|returns?|return rate|faults)",
        r"(?:casi no|apenas) (?:recibimos|tenemos) (?:quejas|reclamos|reclamaciones|devoluciones)",
        r"(?:muy buena|excelente|altisima) (?:calificacion|valoracion|reputacion)",
        r"(?:most|la mayoria de (?:los|nuestros)) (?:customers|clientes) (?:appreciate|agradecen|valoran)",
        r"(?:nuestros|nuestras) \w+ (?:saben|son (?:muy )?(?:buenos|expertos|profesionales))",
        r"(?:todos|todas) (?:nuestros|nuestras) (?:productos|articulos|equipos) son (?:originales|nuevos|de calidad)",
        r"(?<=[.!?]\s)actually,? (?:the|your|it|that|this|we're|we are|there)",
        r"en realidad (?:no|el|la|los|las|se|es|solo|hace)",
        r"no es ningun|no hay ninguna (?:conspiracion|trampa|estafa|mala intencion)",
        r"so it (?:did|isn't actually|is not actually|wasn't actually)",
        r"(?:so|which means) there'?s nothing wrong",
        r"(?:billed|charged) correctly",
        r"(?:funciono|funciona|anduvo|anda) (?:bien|perfectamente|sin problemas) para (?:el resto|todos|los demas|la"
        r" mayoria)",
        r"(?:revisamos|hemos revisado|revisando) (?:\w+ ){0,3}y (?:no (?:hay|hubo|fue|es) (?:ningun |un"
        r" )?error|(?:el|la) \w+ (?:fue|es|esta) (?:correct|valid|activ|bien))",
        r"(?:el|la) (?:corte|cobro|cargo|factura|bloqueo|suspension|rechazo) no fue (?:un|ningun) error",
        r"(?:consumo|cargo|cobro|pago|lectura|importe) (?:\w+ )?(?:figura |esta |quedo )?registrad[oa]"
        r" correctamente|(?:el|la) (?:cargo|cobro|factura) es (?:valid|correct)[oa]",
        r"acusar sin pruebas",
        r"uno de los (?:\w+ ){0,4}mas (?:altos|bajos|fiables|seguros|puntuales|rapidos)|(?:una|la) valoracion de \d",
        r"(?:es|son) (?:el|la|lo) que (?:corresponde|toca)|(?:asi que|por lo que|por eso) (?:\w+ ){0,4}como"
        r" corresponde",
        r"casi nunca (?:fallan|falla|se equivoca|se equivocan)",
        r"no se trata de (?:un|una|ningun|ninguna) (?:robo|estafa|error|cobro indebido|trampa|engano)",
        r"en realidad (?:tu|su|vos|usted)",
        r"(?:solo|una) (?:una )?(?:precision|aclaracion):",
        r"consta que (?:el|la) (?:tecnico|repartidor|repartidora|mensajero|conductor|instalador|cartero)"
        r" (?:paso|llego|fue|acudio|estuvo|intento)",
        r"just to (?:clarify|be clear)",
        r"(?:isn't|is not) the same thing",
        r"(?:very rarely|rarely|seldom|hardly ever) (?:hear|get|see|receive) (?:this|that|complaints|issues|reports)",
        r"(?:went through|processed|worked|was fine) (?:fine |correctly |ok )?on our"
        r" (?:side|end)|(?:correct|fine|right|in order) on our (?:side|end)",
        r"our records show no",
        r"which is (?:likely|probably|most likely) why",
        r"exactly as (?:listed|described|shown|advertised|stated|pictured)",
        r"(?:simply|just) how (?:the|it|our|this) (?:\w+ )?works",
        r"(?:it's|it is|this is|that's|that is) not a (?:hidden|secret|surprise|mystery) (?:fee|charge|cost)|no es"
        r" (?:un|una) (?:cargo|cobro|comision) (?:oculto|oculta|sorpresa)",
        r"(?:understand|know|appreciate) (?:it's|it is|that's|that it's|how) (?:\w+ ){0,2}frustrating,? but",
        r"(?:vast )?majority of (?:people|customers|users|members|our customers)",
        r"(?:nuestra|nuestro) (?:\w+ ){0,2}(?:funciona|anda|andan|funcionan) (?:sin inconvenientes|sin"
        r" problemas|perfecto|perfectamente|bien)",
        r"(?:esta|quedo|figura) correctamente registrad[oa]",
        r"(?:cobro|cargo|importe|factura) (?:en si )?es correcto",
        r"caso (?:muy )?aislado|lo tuyo es una excepcion|(?:really |truly )?are the exception",
        r"(?:muy pocas|casi ninguna|pocas) (?:quejas|reclamos|reclamaciones)|casi nunca (?:tenemos|recibimos)",
        r"nadie (?:te|le) (?:robo|quito|cobro de mas)",
        r"somos (?:la|el) \w+ con (?:mejor|mas|menos)",
        r"followed (?:its|their|his|her) (?:\w+ )?(?:process|procedure) correctly",
        r"(?:one of the|the) best (?:[\w-]+ ){0,2}records?",
        r"as it should be",
        r"(?:bill|charge|fee|reading|amount|price) is correct",
        r"(?:it's|it is|this is|that's) not (?:sneaky|a scam|a con|hidden|theft|a trick|a rip-off)",
    )),
    "minimises": (("minimiza el problema del cliente", "minimises the customer's problem"), _rx(
        # "es solo un retraso de menos de una hora", "nada grave", "these things happen", "te pedimos un poco de
        # calma", "a bit of a wait is normal"
        r"(?<!si\s)(?<!cargo\s)(?:es|era|fue|son|fueron) (?:solo|solamente|apenas|nada mas)"
        r" (?:un|una|unos|unas|dos|tres|\d+) (?:\w+"
        r" )?(?:descuadre|minutos|horas|dias|retraso|demora|fallo|falla|corte|problema|detalle|error|producto|bebida|euros|pesos|articulos|productos|cosas|croquetas)",
        r"(?<!if\s)(?<!glad\s)(?:it's|it is|it was|that's|this is|there were|there are) (?:only|just) (?:a couple|a"
        r" few|one|two|three|\d+|a small|a minor|a little) (?:\w+"
        r" )?(?:items?|minutes?|hours?|days?|pounds?|euros?|dollars?|delay|wait|thing|issue|mistake|charge|fee)",
        r"nada (?:grave|serio|fuera de lo (?:normal|comun))|nothing (?:serious|unusual|out of the ordinary)",
        r"no hace falta (?:alarmarse|alarmarte)|no (?:need|reason) to (?:panic|be alarmed)",
        r"(?:le|les|te) puede pasar a cualquier|(?:can|could) happen to (?:anyone|any)",
        r"estas cosas (?:pasan|llevan|ocurren|suceden)|these things (?:happen|take time)",
        r"(?:isn't|is not|wasn't|was not|is never|no es) (?:unusual|uncommon|abnormal|raro|inusual)",
        r"(?:is|are|was) (?:very |really |quite |highly )?unusual",
        r"(?:es|era|sera) lo (?:normal|habitual)|lo normal es que",
        r"(?:a bit of a |some |a )?(?:wait|delay) (?:is|was) (?:normal|expected|to be expected)",
        r"(?:which|that) can happen (?:on|at|in|with|during)",
        r"(?:te|le|les|os) (?:pedimos|pido|rogamos|ruego) (?:un poco de |algo de |mucha"
        r" )?(?:calma|paciencia|comprension)",
        r"(?:we'd|we would|i'd) ask (?:for )?(?:a little |a bit of |some |your )?(?:patience|understanding)",
        r"please (?:just )?bear with us|so please (?:just )?bear with",
        r"(?:asking|writing|chasing|messaging) (?:for updates )?(?:won't|will not|doesn't|does not) (?:make|speed)",
        r"tampoco es para tanto|no es (?:para tanto|tan grave|nada del otro mundo)",
        r"(?:son|es|de) (?:apenas|solo|solamente) (?:unos|unas|un|una|\d+(?:,\d+)?) ?(?:\w+"
        r" )?(?:segundos|minutos|centimos|euros|€|pesos|dolares)",
        r"menos que un cafe",
        r"(?:estos|estas|los|las) (?:\w+ )?(?:son|fueron) puntuales|algo puntual (?:de|del|en) (?:tu|su)",
        r"(?<!vuelto\s)(?<!sea\s)(?<!siendo\s)(?:algo|es) (?:muy |bastante )?(?:habitual|comun) (?:en esta|en este|a"
        r" esta|a estas|con este|con esta|cuando|los|las)",
        r"pasa (?:con|en) todas las (?:companias|empresas|aerolineas|operadoras|compañias|plataformas|tiendas)",
        r"hay que tener (?:un poco de |algo de )?paciencia",
        r"(?:son|es) (?:los|lo) que (?:son|es|hay)",
        r",? es asi(?=\s*[.!]|$)",
        r"(?:was|were) (?:just|only) a few (?:seconds|minutes)",
        r"(?:are|were|is|was) (?:always )?to be expected",
        r"(?:pretty|very|highly|extremely) unlikely",
        r"(?:has|have|had) almost always been",
        r"is actually (?:quick|fast|normal|pretty good|reasonable|very good|quite quick)",
        r"no big deal",
        r"no hay (?:motivo|razon) para alarmar\w*",
        r"(?:era|es|son|eran) de esperar",
        r"algo que puede (?:pasar|ocurrir|suceder)",
        r"(?:es|son) lo normal",
        r"es normal que (?:pierda|tarde|baje|haya|se |el |la |los |las )",
        r"(?:eso |esto )?lleva su tiempo",
        r"(?:hopefully|i'm sure|we're sure) you(?:'ll| will) understand",
        r"(?:pretty|fairly|quite|perfectly) (?:standard|normal|common|usual)|(?:that's|that is) normal(?=\s*[,.;])",
        r"benefits (?:thousands|all|most) of",
        r"(?:fairly|very|relatively) small (?:rise|increase|amount)|in the grand scheme",
        r"(?:it's|it is) a bit early to",
    )),
}

# ---------------------------------------------------------------------------
# 3. offers_solution: a concrete next step. Empathy, "we're here", or a bare "write to us
# if you like" is not one; an action (ours or the customer's), a place to do it, a
# deadline, or a concrete answer is.

# The start of a clause, as zero-width look-behinds so that the quoted step starts at the verb.
_CLAUSE_WORDS = ("y", "o", "luego", "despues", "entonces", "que", "and", "or", "then", "otherwise", "meanwhile", "so")
_CLAUSE = "(?:" + "|".join(["^", r"(?<=[^\w\s'@#$€£%])", r"(?<=[^\w\s'@#$€£%]\s)"]
                           + [rf"(?<=\b{w}\s)" for w in _CLAUSE_WORDS]) + ")"


def _clause(body: str) -> str:
    """``body`` at the start of a clause. The look-ahead comes first because it fails fast
    at most positions, where the look-behinds of _CLAUSE would all be tried."""
    body = "(?:" + body + ")"
    return "(?=" + body + ")" + _CLAUSE + body


_SOFTENER = (r"(?:(?:just|please|simply|then|also|first|now|maybe|perhaps|por favor|porfa|solo|tambien|primero|ahora|luego|"
             r"quizas|quiza|tal vez|mejor) )?")

# Instructions to the customer (tú, usted, vos and vosotros imperatives; English base forms).
_DO_ES = (r"(?:ve|vaya|vayan|anda|entra|entre|ingresa|ingrese|abre|abri|abra|toca|toque|pulsa|pulse|presiona|elige|elegi|elija|"
          r"selecciona|seleccione|marca|marque|prueba|proba|pruebe|actualiza|actualice|reinicia|reinicie|borra|borre|desinstala|"
          r"instala|descarga|descargue|llama|llame|llamen|llamad|usa|use|cambia|cambie|pide|pedi|pida|pidan|pedidlos|pedidla|pedidlo|"
          r"reclama|reclamala|solicita|solicite|acercate|acerquese|pasa|pase|revisa|revise|verifica|verifique|activa|active|"
          r"desactiva|cancela|cancelalo|cancelala|sube|suba|adjunta|adjunte|cierra|cerra|cierre|apaga|apague|desenchufa|conecta|"
          r"conectate|guarda|guarde|quedate|quedese|sal|salgan|salid|avisad|avisa|avise|lleva|lleve|presenta|presente|muestra|"
          r"configura|agrega|agregue|anade|busca|busque|completa|complete|rellena|llena|llene|paga|pague|haz|hace|haga|hagan|pon|"
          r"pone|ponga|dale|escanea|deja|deje|manten|mantenga|no toques|no toque|no uses|no use|cambialo|pidela|pidelo|pidelas|"
          r"pidelos|reclamalas|reclamalos|descargala|activala|bloquea|bloquee|congela|denuncia|denuncie|contacta|contacte|"
          # negative commands: "no abras el enlace", "no compartas tus claves"
          r"no (?:abras|abra|compartas|comparta|pagues|pague|respondas|responda|contestes|conteste|pinches|pinche|hagas|haga|"
          r"descargues|descargue|instales|instale|transfieras|transfiera|envies|envie|mandes|mande|aceptes|acepte|firmes|firme|"
          r"entregues|entregue|borres|borre|tires|tire|canceles|cancele|enchufes|enchufe|facilites|facilite|reveles|revele)|"
          r"consulta|consulte|renueva|reserva|reserve|compra|retira|imprime|recoge|recoja|trae|traiga|envia|envie|manda|mande|"
          r"valida|valide|aprovecha|aprovechalo|aprovechelo|dile|decile|saluda|recuerda|acordate|mira|fijate)")
_DO_EN = (r"(?:go|head|tap|open|click|select|choose|pick|try|update|restart|reinstall|unplug|switch|turn|call|ring|dial|use|check|"
          r"sign|log|visit|add|set|cancel|change|clear|contact|apply|claim|upload|order|book|ask|request|keep|plug|reset|enable|"
          r"disable|move|block|freeze|report|swap|file|fill|follow|enter|type|scroll|download|install|look|bring|take|stay|leave|"
          r"put|make sure|pay|show|present|collect|submit|register|complete|transfer|top up|save|screenshot|hold|remove|close|"
          r"reboot|power|press|hit|quote|forward|avoid|get|don'?t|do not|search|find|grab|pop|drop by|wear|run|store|print|renew|"
          r"reply here|upgrade|downgrade|pause|resume|activate|deactivate|verify|confirm|redeem|opt|tick|untick|toggle|"
          r"delete the app|start|text|tell|remember|clamp|fit|charge|recharge|wash|return|ship|post|snap|photograph|read|give)")
# "DM us your order number", "mándanos por DM tu nº de pedido": something specific to send,
# not "DM us if you like".
_SEND_ES = (r"(?:manda|mandan|envia|escribe|escribi|dinos|decinos|pasanos|mandanos|envianos|escribenos|escribinos|escribanos|"
            r"envienos|mandenos|pasenos|mandennos|escribannos|compartenos|indicanos|indiquenos|dejanos|confirmanos|recuerdanos|"
            r"respondenos|contestanos|respondanos|nos pasas|nos mandas|nos envias|nos recuerdas|nos dices|nos compartes|nos dejas|"
            r"nos confirmas|necesitamos|"
            # "te pedimos tu número de pedido", not "te pedimos disculpas por la espera"
            r"(?:te|le|les) pedimos(?! (?:\w+ ){0,4}(?:disculpas|perdon|paciencia|comprension|una disculpa)))")
_OBJ_ES = (r"(?:tu|tus|su|sus|el|la|los|las|un|una|ese|esa|esos|esas|solo|nombre|numero|n[o°º]|correo|email|mail|foto|captura|"
           r"fecha|codigo|clave|localizador|reserva|pedido|comprobante|dni|cedula|rut|datos|direccion|id|folio|guia|contrato|"
           r"poliza|siniestro|linea|ticket|monto|modelo|usuario|cuenta|ubicacion)")
_SEND_EN = r"(?:dm|message|send|give|pop|drop|share|tell|email|text|pass|get)"
_OBJ_EN = (r"(?:your|the|a (?:photo|picture|screenshot|copy|number|phone)|just|only|those|these|this|same|her|his|their|details|"
           r"name|number|order|booking|email|account|photo|postcode|address|ref|reference|pnr|policy|claim|tracking|receipt|"
           r"screenshot|date|dates|membership|device|model|location)")
# "We" doing something. Spanish: any first person plural except feelings and fillers
# ("sentimos", "entendemos") and words that merely end like one ("mismos", "préstamos").
_WE_STOP_ES = (r"(?:sentimos|lamentamos|entendemos|comprendemos|sabemos|agradecemos|tenemos|estamos|seguimos|queremos|esperamos|"
               r"alegramos|apreciamos|valoramos|deseamos|pensamos|creemos|imaginamos|acompanamos|disculpamos|quedamos|somos|"
               r"vamos|hemos|podemos|debemos|podriamos|deberiamos|orientamos|leemos|encantamos|importamos|estaremos|tendremos|"
               r"seremos|felicitamos|nos alegramos|tomamos nota|tomamos en cuenta|tenemos en cuenta|"
               r"(?:mandamos|enviamos) (?:un |muchos |un gran |un fuerte |mucha )?(?:abrazo|saludo|beso|animo|fuerza|carino)\w*|"
               # promises and feelings that are no step: "nos tomamos muy en serio", "haremos todo lo posible",
               # "trabajamos cada día para mejorar", "te pedimos disculpas", "compartimos tu frustración"
               r"tomamos (?:muy |muy muy |siempre )?(?:en serio|nota|en cuenta)|(?:haremos|hacemos) (?:todo |siempre )?lo (?:posible|mejor|que "
               r"(?:podamos|este en nuestras manos|esta en nuestras manos))|trabajamos (?:\w+ ){0,3}(?:para|por|en) (?:mejorar|ofrecer|dar|"
               r"brindar|seguir)|pedimos (?:\w+ ){0,4}(?:disculpas|perdon|paciencia|comprension|una disculpa)|seguiremos (?:mejorando|aprendiendo|"
               r"trabajando (?:\w+ ){0,3}(?:para|por) (?:mejorar|ofrecer|dar|brindar))|ofrecemos (?:\w+ ){0,2}disculpas|"
               r"compartimos (?:tu|su|vuestra|la|el) (?:\w+ )?(?:frustracion|molestia|preocupacion|enojo|indignacion|malestar|decepcion|"
               r"tristeza|alegria|emocion|sentir|bronca)|ponemos en (?:tu|su|vuestro) lugar|(?:tomaremos|tomamos) (?:las )?medidas "
               r"(?:necesarias|oportunas|pertinentes|correspondientes|del caso)|escuchamos|respetamos|reconocemos|confiamos|"
               r"estuvimos|estabamos|fuimos|eramos|teniamos|"
               r"mismos|primos|ramos|ultimos|proximos|maximos|minimos|extremos|prestamos|reclamos|tramos|"
               r"animos|intimos|legitimos)")
# English: "we'll refund", "I've booked", "our team can run"; not "we know", "we're sorry".
_WE_EN = (r"(?:we|i|we've|i've|we'll|i'll|we'd|i'd|we have|i have|we will|i will|we can|i can|we're going to|i'm going to|"
          r"let me|they'll|they will|(?:our|the) \w+ (?:will|can)|someone will|\w+ will)")
_ADV_WORDS = (r"also|already|just|now|then|still|totally|really|completely|genuinely|absolutely|definitely|happily|gladly|"
              r"personally|truly|so|very|both|all|immediately|first|actually|always")
_ADV_EN = rf"(?:{_ADV_WORDS})"
_WE_STOP_EN = (r"(?:sorry|glad|happy|thrilled|delighted|excited|proud|touched|grateful|here|there|know|knew|hear|heard|"
               r"get (?:it|that|you)\s*(?:[.,!;:—–-]|$)|get (?:the (?:frustration|confusion|worry|stress)|how|why)|understand|"
               r"appreciate|love|value|hope|wish|feel|see (?:you|that|how|why)|agree|care|want|think|apologi[sz]e|miss|"
               r"can (?:only )?imagine|'?d love|would love|keep (?:that|this|it) in mind|take note|noted|be here|are here|"
               r"on your side|all ears|can'?t wait|cannot wait|sure|afraid|not|never|do (?:not|n't)|don'?t|didn'?t|couldn'?t|"
               r"can'?t|understandably|the|a|an|your|it|this|that|back|"
               # promises that are no step: "we take all feedback seriously", "we'll do our best", "we'll do better"
               r"take (?:\w+ ){0,3}seriously|take (?:\w+ ){0,2}on board|taken? (?:\w+ ){0,3}on board|taken note|"
               r"do (?:our|my) (?:best|utmost)|do (?:what|everything|all) (?:we|i) can|do better|be better|get better|"
               r"try (?:our|my) (?:best|hardest)|try to (?:do better|improve|be better|make (?:it|this|things) right)|"
               r"share (?:your|the|this|that|their) (?:\w+ )?(?:frustration|concern|disappointment|feelings?|pain|sentiment|excitement|joy)|"
               r"strive|aim|endeavou?r|learn|listen|improve|continue to (?:improve|work)|keep (?:improving|working|learning)|"
               r"use (?:your|this|the|all|such|customer) (?:feedback|comments|input)|help (?:us )?(?:improve|get better|do better)|"
               r"make sure (?:this|it|that) (?:doesn'?t|does not|won'?t|never) happen\w*|"
               r"take (?:the |all )?(?:necessary|appropriate|relevant) (?:steps|action|actions|measures)|" + _ADV_WORDS + r")")
_DAYS = r"(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|monday|tuesday|wednesday|thursday|friday|saturday|sunday|manana|tomorrow)"
_UNIT = r"(?:h|hs|hrs|horas|hours?|min|mins|minutos|minutes?|dias|days?|semanas|weeks?|meses|months?|dias habiles|business days|working days)"

_SOLUTION = _rx(
    # where: a path in an app or site, a link, a number to call, a named place ("en la app", "under 'Catering'")
    r"\w[\w\s'&+]{0,30} ?(?:>|→) ?\w+", r"https?://\S+", r"www\.\S+",
    r"[a-z0-9-]+\.(?:com|es|co|cl|pe|mx|ar|uy|uk|ie|au|ca|in|net|org|app|tv|gov|gob)(?:\.[a-z]{2})?(?:/[\w./-]*)?",
    r"(?:llama|llame|llamen|llamad|marca|marque|call|ring|dial|phone) (?:al |a la |a |on |the )?(?:\w+ ){0,4}\+?\d[\d\s-]{1,}\d",
    r"(?:en|in|under|on|at|desde|from) (?:the |la |el |su |tu |your |our |nuestro |nuestra |each |cada |the same |la misma |our own )?(?:\w+ )?"
    r"(?:app|apps|web|website|site|sitio|seccion|section|pagina|page|perfil|profile|canal|channel|tienda|store|stores|menu|settings|"
    r"ajustes|configuracion|portal|app chat|chat|catalogo|catalog|carta|pantalla|screen)",
    r"'[^'\n]{2,40}'", r"[\"“][^\"”\n]{2,40}[\"”]",
    # something specific to send us
    _SEND_ES + r" (?:por \w+ |al \w+ |un \w+ |por mensaje \w+ |con )?(?:[^\s.!?;:]+ ){0,4}" + _OBJ_ES,
    _SEND_EN + r" (?:us|me) (?:a dm |a private message |a message |a line |a note |by dm |via dm |in a dm |privately )?(?:with |:)?"
    r"(?:[^\s.!?;:]+ ){0,3}" + _OBJ_EN,
    # what we did or will do (es): "revisamos", "te lo cambiamos", "vamos a revisar", "hemos abierto", "ya estamos llamando"
    r"(?!" + _WE_STOP_ES + r"(?!\w))\w{2,}(?:amos|emos|imos)",
    r"(?:vamos a|podemos|queremos|necesitamos|tenemos que|hemos|he|ya) (?:\w+ )?(?!ser|estar|entender|imaginar|mejorar|aprender)\w{2,}"
    r"(?:ar|er|ir|ado|ido|ada|ida|ito|echo|uesto|ierto|uelto|elto|icho)(?:lo|la|los|las|le|les|te|nos|se)?",
    r"(?:estamos|estoy|seguimos|ya estan|ya esta) (?:\w+ )?(?!trabajando (?:\w+ ){0,3}(?:para|por) (?:mejorar|ofrecer|dar|brindar)|"
    r"mejorando|aprendiendo)\w+(?:ando|iendo|yendo)",
    # what happens next (es): "te llega en 48 h", "se acredita en 3 días", "queda activa hoy", "el hotfix sale este finde"
    r"(?:te|le|les|lo|la|se) (?:\w+ )?(?:llama|llamara|escribe|escribira|contacta|contactara|llega|llegan|llegara|manda|envia|devuelve|"
    r"devuelven|confirma|confirmara|responde|visita|cambia|lleva|acredita|acreditan|refleja|reflejan|aplica|activa|reintegra|reembolsa|"
    r"ve|atiende|dan|da|paga|pagan|repone|instala)",
    r"(?:queda|quedan|quedo|quedara|esta|estan|va|van|sale|salen) (?:\w+ )?(?:listo|lista|listos|activo|activa|abierto|abierta|hecho|hecha|"
    r"registrad[oa]|programad[oa]|resuelt[oa]|anulad[oa]|cancelad[oa]|pedid[oa]|confirmad[oa]|en camino|en (?:\d+|unos)|hoy|manana)",
    r"se (?!te |me |nos )\w+ (?:en|al|a la|desde|con|por|cuando|solo|automaticamente|sin)",
    r"se (?:arregla|soluciona|resuelve|corrige|libera|desbloquea|reinicia|restablece|reactiva|reembolsa|devuelve)",
    # what the customer can do (es)
    _clause(_SOFTENER + _DO_ES + r"(?:lo|la|los|las|le|les|me|nos|te)?(?= |,|$)"),
    r"(?:puedes|podes|podeis|pueden|podras|podran|puede usted|lo puedes|la puedes|los puedes|lo puede|la puede|lo podes|te conviene|"
    r"le conviene|les conviene|conviene|basta con|solo tienes que|solo tenes que|tienes que|tenes que|teneis que|tiene que|hay que|"
    r"lo mejor es|te recomendamos|le recomendamos|te sugerimos|te sirve|le sirve|les corresponde|te corresponde|le corresponde|"
    r"tienes derecho|tiene derecho|tenes derecho|teneis derecho|vas a poder|van a poder)",
    _clause(r"puede (?!ser |estar |pasar |que )\w+"),
    r"(?:lo|la|los|las|te|se) (?:pones|usas|ves|encuentras|tienes|tenes|cambias|pides|pedis|activas|haces|eliges|elegis|marcas|agregas|"
    r"anades|canjeas|descargas|subes|cargas|aplicas|configuras|buscas|abres|abris|redimes|reclamas|solicitas|compras|pagas|recibes|"
    r"recogis|recoges)",
    r"(?:si|if) (?:le |les )?(?:das|dais|dan|dices|decis|activas|activan|pones|usas|tocas|entras|you (?:tap|turn|set|use|switch|add|ask|"
    r"say|go|open|pick|choose))",
    # what we did or will do (en): "we've refunded", "I'll call", "we're sending", "our team can run a quote"
    _WE_EN + r" (?:" + _ADV_EN + r" )*(?!" + _WE_STOP_EN + r"(?!\w))\w+",
    r"(?:we're|i'm|we are|i am|they're|they are|team's|team is|crew's|crew is) (?:now |already |just |currently |still )?"
    r"(?!hoping|feeling|loving|thinking|wishing|sorry|improving|learning|striving|listening|"
    r"working (?:hard |constantly |continuously |every day |daily )?(?:to|on) (?:improve|improving|do better|be better|get better))\w+ing",
    r"(?:we're|we are|i'm) on it",
    r"(?:we're|we are|we'll be|we will be|estamos|estaremos) (?:at|in|en) (?:the |our |el |la |nuestro |nuestra )?\w+ (?:\w+ ){0,2}"
    r"(?:next|this|on|every|el proximo|este|esta|todos los|cada)",
    # what happens next (en): "it's on its way", "the refund will reach your card"
    r"(?:is|are|was|were|has been|have been|it's|it has|that's|they're|it'll|will be|should be|'s) (?:now |already |being |just |all |been )*"
    r"(?:on (?:its|the|their) way|booked|sent|refunded|credited|fixed|restored|resolved|processed|scheduled|added|removed|cancelled|"
    r"canceled|reversed|unlocked|blocked|frozen|live|ready|back up|open|waived|approved|reissued|arranged|assigned|heading|coming|"
    r"arriving|escalated|flagged|raised|reported|sorted|done|included|covered|free|valid|available|updated|confirmed|shipping|going|"
    r"gone through|out|in the post|usually|due|owed|entitled|applied|activated|reactivated|renewed|extended|rebooked|replaced|reset|"
    r"issued|upgraded|reinstated|reconnected|unblocked|corrected|adjusted|lifted|shipped|dispatched)",
    r"(?:will|should|would) (?:\w+ )?(?:arrive|reach|show|appear|land|clear|drop|update|come|go|get|be (?:back|there|with you|credited|"
    r"refunded|fixed|sent|ready|live)|follow|work)",
    r"(?:fix|hotfix|update|patch|solucion|arreglo|actualizacion|parche) (?:is|will|sale|llega|comes|es|esta|ya|goes|lands|ships|arrives)",
    r"(?:sale|salen|salio|salieron|llega|llegan|arrives?|ships?|shipped|dispatched|lands?|comes out|goes out|went out|is out|out) "
    r"(?:este|esta|el|la|this|next|on|by|manana|hoy|today|"
    r"tomorrow|" + _DAYS + r")",
    # what the customer can do (en)
    _clause(_SOFTENER + _DO_EN + r"(?= |,|$)"),
    r"(?:you can|you'll|you will|you can also|you could|you may|you need|you just need|just need to|all you need|you should|"
    r"you're (?:owed|due|entitled|covered|eligible|fine|good|all set)|you are (?:owed|due|entitled|covered|eligible)|you get|"
    r"you have until|you'd need|it's best to|(?<!our\s)(?<!my\s)best to|the fix is|the trick is|the easiest|easiest is|your best bet|you'll be able|you will be able)",
    r"(?:dile|decile|digale|diles|saluda|tell|remember|recuerda|acordate|have a (?:look|listen|go|read)|take a look|echa un vistazo|"
    r"echale un ojo|mira|give it a (?:try|go))",
    r"(?:are|is) (?:kindly )?(?:requested|asked|advised|reminded) to", r"if you'?d like (?:us )?to (?!talk|chat|discuss|vent)\w+",
    r"(?:happy|glad) to (?!hear|help(?!\w))\w+",
    # when: a deadline, a time window, a date
    r"(?:en|dentro de|within|in|under|by|antes de|antes del|before|hasta) (?:unos |about |around |the next |las |la |los |el |proximos |"
    r"less than |menos de |max |maximo )?\d+(?:[-–,.]\d+)? ?" + _UNIT,
    r"(?:\d+|\d+[-–]\d+) " + _UNIT + r" (?:habiles|business|working)",
    r"\d+ ?" + _UNIT + r" (?:antes|despues|before|after|prior|previas|de antelacion|de anticipacion|in advance|ahead)",
    r"hoy mismo|ahora mismo|ya mismo|en el momento|esta misma semana|esta misma tarde|first thing|straight away|asap|right now|tonight|"
    r"esta noche|within the hour|en la proxima hora|manana a primera hora|a primera hora",
    r"(?:hasta|till|until) (?:el |las |la |the )?(?:\d+|" + _DAYS + r")",
    r"(?:entre|between) (?:las )?\d{1,2}(?:[:.]\d\d)? ?(?:h|am|pm)? (?:y|and|-) (?:las )?\d{1,2}",
    # a concrete answer: what it covers or costs, how long it lasts, what is needed, a "yes"
    r"(?:vale|valen|aplica|aplican|funciona|funcionan|sirve|sirven|cubre|cubren|incluye|incluyen|covers?|includes?|works?|applies|apply|"
    r"is valid|are valid|lasts?|dura|duran) (?:para|a|en|con|for|in|on|at|hasta|until|up to|you|\d)",
    r"(?:incluye|incluyen|includes?|comes with|come with|viene con|vienen con) \w+",
    # how long it takes, what is free, where it is, how many are left, when it opens, whether it is ours
    r"(?<!n't\s)(?<!not\s)(?<!never\s)(?:takes?|tarda|tardan|lleva|llevan|demora|demoran|toma|toman) (?:\w+ ){0,2}\d+(?:[-–]\d+)? ?" + _UNIT,
    r"(?:fly|flies|travel|travels|ride|rides|viajan|viaja|vuelan|vuela|entran|entra) (?:gratis|free)|"
    r"(?:es|son) (?:totalmente |siempre )?(?:gratis|gratuit[oa]s?)|on the house|de regalo|de cortesia|"
    r"(?:corre|va|van|corren) por (?:nuestra cuenta|cuenta nuestra|cuenta de la casa)",
    r"(?:planta|piso|level|floor|terminal|gate|puerta|anden|platform|mostrador|counter|desk) \d+",
    r"\d+ (?:\w+ )?(?:left|libres|disponibles|available|remaining)",
    r"(?:abre|abren|opens?|cierra|cierran|closes?) (?:el |los |on |this |every |each )?(?:" + _DAYS + r"|\d)",
    r"(?:de|from) \d{1,2}(?:[:.]\d\d)? ?(?:h|am|pm)? (?:a|to|until|till|-) (?:las )?\d{1,2}(?!\w)",
    r"(?:is|are|isn't|aren't|is not|are not) (?:\w+ )?(?:allowed|permitted|accepted)|(?:se|no se) (?:permite|permiten|aceptan|acepta)(?!\w)|"
    r"(?:esta|estan) permitid[oa]s?",
    r"(?:is|isn't|is not|are|aren't|wasn't|was|was not|it's) (?:really |definitely |genuinely )?(?:genuine|legit|legitimate|from us)|"
    r"(?:es|son|no es|no son) (?:nuestr[oa]s?|de nosotros|legitim[oa]s?|oficial(?:es)?)(?=\s*[.,:;!]|$)",
    r"(?:can|puede|pueden|podra|podran) (?:\w+ )?(?:go|ir|viajar|travel|fly|volar|stay|quedarse|be \w+ed|be \w+en)",
    r"(?:tienes|tenes|tiene usted|teneis|you have|you've got|you get) (?:\d+|hasta|until|up to)",
    r"(?:solo|only) (?:necesitas|necesita|necesitan|needs?)|(?:you only|you'll|you'd|you just) need|hace falta (?:el|la|tu|su|un|una|que)",
    # what the customer will not lose or pay, what does not expire, what is in stock
    r"you (?:won'?t|will not|don'?t|do not) (?:lose|be charged|be billed|pay|miss|get charged)|no (?:pierdes|pierde|perdes|perdeis|pagas|"
    r"se te cobra|se le cobra|te cobran|le cobran|te afecta|le afecta)(?!\w)",
    r"(?:don'?t|doesn'?t|do not|does not|won'?t|will not|never) expire|no (?:caduca|caducan|vence|vencen|expira|expiran|caducara|vencera)",
    r"(?:back )?in stock|(?:en|hay|con|tiene|tienen) stock", r"(?:applies|apply|aplica|aplican) (?:only )?to",
    r"(?:te|le|les) (?:sirva|serviria) (?:\w+ )?\w+(?:ar|er|ir)(?:lo|la|los|las|le|te)?(?!\w)",
    # waiting a given time or trying again is a step too: "espera unos minutos", "maybe wait a few more seconds", "vuelve a intentarlo"
    _clause(_SOFTENER + r"(?:(?:espera|espere|aguarda|aguarde|wait) (?:unos|unas|un|una|\d|hasta|a que|a (?:few|couple)|another|until|"
            r"till|up to|for (?:\d|a|an|the))|(?:vuelve|volve|vuelva) a (?:intentar|probar|cargar|conectar|iniciar|instalar|descargar|"
            r"pedir|solicitar|enviar|escanear|reiniciar|entrar|abrir)\w*|(?:intenta|intente|reintenta|reintente)(?:lo|la)?(?= |,|$))"),
    r"(?:no need to|no hace falta|no tienes que|no tenes que|no tiene que|no necesitas|no necesita|you don'?t need to|you don'?t have to|"
    r"there'?s no need)",
    r"(?:cuesta|cuestan|sale|salen|vale|valen|costs?|is|are|at|desde|from|starts? at|por) (?:solo |only |just )?(?:\$|€|£|₹|s/|us\$|mx\$) ?\d",
    r"(?:there'?s|there is|there are|hay) (?:a |an |un |una |\d+ )?(?:\w+ )?(?:seats?|lugar|lugares|asientos?|slots?|plazas?|options?|opcion|"
    r"opciones|planes|version|update|fix|workaround)",
    r"(?:the best|your best|your safest) (?:way|option|bet|thing)|lo (?:mejor|ideal|mas rapido|mas facil) es|la mejor opcion",
    _clause(r"(?:yes|yep|yup)(?=[,:!.])"), r"(?:tip|truco|consejo|ojo|pro tip) ?:",
    # help on offer when something comes up: "si necesitas algo, escríbenos", "anything else, we're back at 8"
    r"(?:si|if) (?:[\w']+ ){0,3}(?:necesit\w*|need\w*|ocup\w*|se ofrece|goes wrong|go wrong|falla|fails|any (?:other |more )?"
    r"(?:questions|q's|trouble|bother|issue|issues)|any questions|anything|algo|algun problema)",
    r"(?:any questions|anything else|otra duda|alguna duda|cualquier duda),? (?:\w+ ){0,2}(?:we're|we are|the team|our team|dm|message|"
    r"escribenos|el equipo|estamos)",
    # something already under way or done for them: "ya tiene la nueva tarjeta en su correo", "el de reemplazo sale a las 7:45"
    r"ya (?:va|van|vamos|tiene|tienes|tenes|figura|figuran|sale|salen|llega|llegan|viaja|viajan|esta en camino|estan en camino) "
    r"(?:\w+ ){0,4}(?:a|con|en|para|hacia|la|el|tu|su|\d)",
    r"(?:sale|salen|llega|llegan|parte|parten|departs?|leaves?|arrives?) (?:\w+ ){0,3}(?:a las|at) \d",
    r"(?:esta|estan|tenes|tienes|lo encontras|lo encuentras) (?:\w+ ){0,3}en nuestr[oa] (?:instagram|youtube|spotify|canal|web|blog|perfil|pagina)",
    r"(?:goes up|is up|is|it's|are|lives?) (?:\w+ ){0,2}on our (?:youtube|instagram|website|site|blog|channel|spotify|page|profile)",
    r"(?:will|'ll|is going to|are going to) (?:call|ring|phone|text|email|visit|contact) you (?:\w+ ){0,2}(?:on|at|from|by|before|within|"
    r"tomorrow|today|tonight|this|back|first|in)",
    r"(?:about|around|roughly|only|just) (?:\w+|\d+) (?:minutes?|mins?) (?:out|away)",
    r"(?:dato|tip|consejo|truco) para (?:la proxima|manana|el viaje|la instalacion)|un consejo para",
    r"nothing (?:to do|needed|you need to do) on your (?:side|end|part)|no (?:tenes|tienes|tiene) que hacer nada",
    r"(?:quedan|queda|se quedan|se queda|stays?|remains?) (?:\w+ )?(?:guardad[oa]s?|saved|intact|active|activ[oa]s?)",
    r"(?:there'?s|there is) a (?:\w+ ){0,3}(?:video|guide|link|page|form|tutorial) (?:in|on|at|under)",
)

# ---------------------------------------------------------------------------
# 4. human: form-letter formulas.

_FORM_LETTER = _rx(
    # Spanish
    r"estimad[oa]s? (?:client[ea]s?|usuari[oa]s?|asegurad[oa]s?|soci[oa]s?|senor\w*|afiliad[oa]s?|abonad[oa]s?|pasajer[oa]s?|titular)",
    r"apreciad[oa] (?:client[ea]|usuari[oa]|asegurad[oa])", r"(?:senor|sr\.?|sra\.?) (?:cliente|usuario|usuaria)",
    r"(?:le|les) (?:informamos|comunicamos|notificamos|rogamos|solicitamos)",
    r"agradecemos su (?:preferencia|comunicacion|contacto|consulta|mensaje|paciencia|reporte|comprension)",
    r"lamentamos (?:cualquier|las molestias ocasionadas|los inconvenientes (?:ocasionados|causados))", r"reiteramos nuestras disculpas",
    r"ha sido (?:recibid[oa]|registrad[oa]|turnad[oa]|escalad[oa] al (?:area|departamento))", r"(?:su|la) solicitud (?:ha sido|fue) (?:recibida|registrada|tramitada)",
    r"se encuentra en proceso", r"(?<!el\s)favor de", r"conforme al procedimiento",
    r"a efectos de", r"horario de atencion", r"por medio de la presente", r"nos permitimos informar\w*", r"sin otro particular",
    r"quedamos a su (?:entera )?disposicion", r"agradeciendo (?:de antemano|su atencion)",
    r"departamento de atencion al cliente",
    r"(?:atentamente|cordialmente|saludos)[,.]? (?:el )?(?:departamento|area|servicio|atencion)",
    # English
    r"dear (?:valued )?(?:customer|member|client|policyholder|user|sir|madam|sir or madam|passenger|subscriber)",
    r"valued (?:customer|member|client|policyholder)", r"(?:we|i) apologi[sz]e for any inconvenience",
    r"for any inconvenience (?:this|that) may have caused", r"we sincerely apologi[sz]e for any", r"we regret any inconvenience",
    r"please accept our (?:sincere )?apologies", r"please be advised", r"we wish to inform you", r"we are pleased to (?:confirm|inform)",
    r"(?:we )?acknowledge receipt(?: of)?", r"your feedback is important to us",
    r"we value your (?:business|feedback|custom)", r"your (?:call|query|request) is important to us", r"we regret to (?:hear|inform)",
    r"the relevant department", r"resumes? operations",
    r"(?:regards|sincerely)[,.]? " + _w(2) + r"(?:customer|member|client) (?:care|service|services|relations|support)",
)

# Formal formulas that a warm reply may still use once ("Dear Mrs Clarke, thank you for your
# message...", "Atentamente, Lucía"): they make a form letter only in a reply that addresses
# nobody, or when they pile up (two or more).
_FORMAL = _rx(
    r"atentamente", r"cordialmente", r"(?:reciba|un) cordial saludo", r"saludos cordiales", r"atte\.?",
    r"le saluda (?:muy )?atentamente", r"(?:le|les) (?:recordamos que|invitamos a|agradecemos (?:su|que))",
    r"quedamos atentos a sus", r"no dude en (?:contactarnos|comunicarse|escribirnos)",
    r"(?:area|departamento) correspondiente",
    r"kindly (?:note|be advised|be informed|find|provide|submit|revert|refer|check|send)",
    r"thank you for contacting", r"thank you for your (?:feedback|inquiry|enquiry|business|comment|message|query)",
    r"thank you for your patience and understanding", r"we appreciate your feedback", r"for further assistance",
    r"should you require", r"should you have any (?:further )?(?:questions|queries)",
    r"(?:please )?do not hesitate to contact", r"at your earliest convenience", r"(?:kind|best|warm) regards(?! to)",
    r"regards,", r"^regards", r"yours (?:sincerely|faithfully)", r"sincerely,",
)
FORMAL_LIMIT = 2
# Addresses the person: a handle, or a greeting or thanks followed by a name ("Hola, Daniela",
# "Good afternoon Mr Sharma", "Buenas tardes, estimado Andrés", "Thanks, Deepa"). On the
# original text: a name is a capitalised word.
_ADDRESSED = re.compile(
    r"@\w|^(?:¡\s*)?(?i:hola|hi|hey|hello|buenas(?: tardes| noches)?|buenos d[ií]as|buen d[ií]a|good (?:morning|afternoon|evening)|"
    r"morning|dear|querid[oa])\b[^.!?]{0,25}?,? (?:(?i:estimad[oa]|querid[oa]) )?"
    r"(?:(?:Mr|Mrs|Ms|Miss|Dr|Sr|Sra|Srta|[Ss]eñor|[Ss]eñora|[Dd]on|[Dd]oña)\.? )?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+|"
    r"^(?:¡\s*)?(?i:thanks|thank you|gracias|muchas gracias),? [A-ZÁÉÍÓÚÑ][a-záéíóúñ]+[,.!]")

# ---------------------------------------------------------------------------
# 5. private_channel: an invitation to (or news of) a private conversation, and a request
# to delete the public post.

_PRIVATE = _rx(
    r"dm", r"dms", r"dm'?d", r"dm'?ed", r"md", r"inbox", r"(?:us|you) a pm", r"pm us",
    r"(?:mensaje|msj|mensajito) (?:privado|directo|interno)", r"por (?:privado|interno|dm|md|inbox|priv)", r"al (?:privado|interno|dm|md)",
    r"chat privado", r"private(?:ly)? (?:message|messages|chat)", r"direct (?:message|messages|chat)", r"privately", r"send us a message",
    r"message (?:us|you) (?:in )?private(?:ly)?",
)
_DELETE = _rx(
    r"(?:borr|elimin|retir|quit|baj)\w* " + _w(3)
    + r"(?:tuit|tweet|post|publicacion|comentario|trino|mensaje|foto|imagen|historia|story|reel|respuesta)\w*",
    r"(?:borr|elimin)(?:alo|ala|elo|ela|arlo|arla|enlo)",
    r"(?:delete|remove|take down|hide) " + _w(3) + r"(?:tweet|post|comment|photo|picture|image|message|reply|story|this|that)",
    r"take (?:it|this|that|the|your) (?:\w+ )?down",
)

# ---------------------------------------------------------------------------
# 6. service_hours: when the team is back ("mañana desde las 8", "from 8am tomorrow"). A
# bare time is not enough: "llega antes de las 21 h" is a delivery time.

_NUM = (r"(?:\d{1,2}(?:[:.]\d\d)?|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|one|two|three|four|five|six|"
        r"seven|eight|nine|ten|eleven|twelve)")
_AMPM = r"(?: ?(?:am|a\.m\.|a\. m\.|pm|p\.m\.|h|hs|hrs|horas|hours|o'clock))?"
_DAY_ES = r"(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)"
_BACK_ES = (r"(?:vuelv\w*|volvemos|volvera\w*|regres\w*|retom\w*|arranc\w*|abrimos|abre|abren|reabr\w*|empez\w*|empiez\w*|"
            r"comienz\w*|atend\w*|atiend\w*|entra|entramos|entran|parte|partimos|estamos|esta|estan|seguimos|sigue|conect\w*|"
            r"disponibles?|responde\w*|contest\w*)")
_BACK_EN = (r"(?:back|in|on|online|open|opens|reopen\w*|available|around|here|resume\w*|return\w*|start\w*|"
            r"picks? (?:it|this) up(?: first)?)")
_HOURS = _rx(
    # "desde las 8", "a partir de las 9:00", "from 8am", "after 8am"
    rf"(?:desde|a partir de|a partir|despues de) (?:las|la) {_NUM}{_AMPM}", rf"from {_NUM}{_AMPM}", rf"after {_NUM} ?(?:am|a\.m\.)",
    # "volvemos mañana a las 8", "el equipo entra a las 8", "mañana a las 8 vuelve el equipo", "el lunes a las 9"
    rf"{_BACK_ES} " + _w(4) + rf"a (?:las|la) {_NUM}{_AMPM}", rf"a (?:las|la) {_NUM}{_AMPM} " + _w(3) + rf"(?:{_BACK_ES}|equipo)",
    rf"(?:manana|hoy|{_DAY_ES}) (?:\w+ )?(?:a|desde) (?:las|la) {_NUM}{_AMPM}",
    rf"{_BACK_ES} (?:el )?(?:{_DAY_ES}|manana por la manana)",
    # "back at 8am", "team's back 9am tomorrow", "in from 8 am", "at 9am PT today", "back on Monday"
    rf"{_BACK_EN} (?:again |here |tomorrow |today )?(?:(?:at|from|by) {_NUM}{_AMPM}|{_NUM} ?(?:am|a\.m\.))",
    rf"(?:at|by) {_NUM} ?(?:am|a\.m\.)",
    rf"{_BACK_EN} (?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow morning)",
    # opening hours, or a service that never closes: "la asistencia funciona 24 h", "we're 24/7"
    r"(?:horario|opening hours|office hours|service hours|business hours) " + _w(8) + rf"{_NUM}{_AMPM}",
    r"(?:funciona|funcionan|atiende|atienden|atendemos|es|son|estamos|seguimos|abierta?o?s?|disponibles?|we're|we are|runs|is open|"
    r"open|available|operates?) (?:las |todo el dia )?24 ?(?:h|hs|horas|/7|x7|hrs|hours)",
    r"asistencia 24 ?(?:h|hs|horas)",
)


# ---------------------------------------------------------------------------
# Public helpers (the reply suggester uses them)


def invites_private(text: str, lang: str | None = None) -> bool:
    """Whether the reply invites the customer to a private channel (DM, inbox, private message)."""
    return _PRIVATE.search(fold(text)) is not None


def asks_to_delete(text: str, lang: str | None = None) -> bool:
    """Whether the reply asks the customer to delete the public post."""
    return _DELETE.search(fold(text)) is not None


def states_hours(text: str, lang: str | None = None) -> bool:
    """Whether the reply says when the team is back ("mañana desde las 8", "from 8am tomorrow")."""
    return _HOURS.search(fold(text)) is not None


# ---------------------------------------------------------------------------
# The checks. Each takes the original text, its folded copy, the context and the
# language of the reason.


def _check_thanks(text: str, folded: str, ctx: ToneContext, lang: str) -> CheckResult:
    hit = _find(_THANKS, text, folded)
    if hit:
        return CheckResult("thanks", True, True, _msg(lang, "Agradece al cliente: «{h}».", "Thanks the customer: \"{h}\".", h=hit))
    return CheckResult("thanks", False, True, _msg(
        lang, "No agradece al cliente (p. ej. «gracias por escribirnos»).",
        "Does not thank the customer (e.g. \"thanks for reaching out\")."))


_ANY_DEFENSIVE = _any_of(pattern for _, pattern in _DEFENSIVE.values())


@functools.lru_cache(maxsize=16384)
def _could_be_defensive(folded: str) -> bool:
    """Whether any defensive phrase occurs in ``folded``, with handles masked by the caller.

    The seven phrase sets are the costliest check: one union dispatched on the first
    character (0.1 ms a reply, against 0.35 ms for the sets in turn), cached because a
    suggestion re-checks the same bank sentences composed for another customer's handle. No
    phrase can start inside a handle (they need a non-word, non-"@" character before them).
    """
    return _ANY_DEFENSIVE.search(folded) is not None


def _check_non_defensive(text: str, folded: str, ctx: ToneContext, lang: str) -> CheckResult:
    if not _could_be_defensive(mask_handles(folded)):
        return _passes_non_defensive(lang)
    for (label_es, label_en), pattern in _DEFENSIVE.values():
        hit = _find(pattern, text, folded)
        if hit:
            return CheckResult("non_defensive", False, True, _msg(
                lang, "A la defensiva, {les}: «{h}».", "Defensive, {len}: \"{h}\".", les=label_es, len=label_en, h=hit))
    return _passes_non_defensive(lang)


def _passes_non_defensive(lang: str) -> CheckResult:
    return CheckResult("non_defensive", True, True, _msg(
        lang, "No culpa al cliente, no discute y no se escuda en las condiciones.",
        "Does not blame the customer, argue, or hide behind the terms."))


def _check_offers_solution(text: str, folded: str, ctx: ToneContext, lang: str) -> CheckResult:
    hit = _find(_SOLUTION, text, folded)
    if hit:
        return CheckResult("offers_solution", True, True, _msg(
            lang, "Propone un paso concreto: «{h}».", "Offers a concrete next step: \"{h}\".", h=hit))
    return CheckResult("offers_solution", False, True, _msg(
        lang, "No propone ninguna solución ni paso concreto (qué hicimos, qué hacer, cuándo, dónde).",
        "Offers no concrete solution or next step (what we did, what to do, when, where)."))


def _check_human(text: str, folded: str, ctx: ToneContext, lang: str) -> CheckResult:
    hit = _find(_FORM_LETTER, text, folded)
    formal = [text[m.start():m.end()] for m in _FORMAL.finditer(folded)]
    if not hit and formal and (len(formal) >= FORMAL_LIMIT or not _ADDRESSED.search(text)):
        hit = " … ".join(formal)
    if hit:
        return CheckResult("human", False, True, _msg(
            lang, "Suena a carta formulario: «{h}».", "Reads like a form letter: \"{h}\".", h=hit))
    return CheckResult("human", True, True, _msg(
        lang, "Tono cercano, sin fórmulas de carta.", "Plain, personal tone with no form-letter formulas."))


def _check_private_channel(text: str, folded: str, ctx: ToneContext, lang: str) -> CheckResult:
    if not (ctx.needs_private or ctx.pii):
        return CheckResult("private_channel", True, False, _msg(
            lang, "No hace falta: el cliente no está muy enfadado ni publicó datos personales.",
            "Not required: the customer is not very angry and posted no personal data."))
    dm, delete = _find(_PRIVATE, text, folded), _find(_DELETE, text, folded)
    if not dm:
        return CheckResult("private_channel", False, True, _msg(
            lang, "Debe invitar a seguir por mensaje privado (DM) y no lo hace.",
            "Should invite the customer to a private message (DM) and does not."))
    if ctx.pii and not delete:
        return CheckResult("private_channel", False, True, _msg(
            lang, "Invita al privado («{d}») pero no pide borrar la publicación con datos personales.",
            "Invites a DM (\"{d}\") but does not ask to delete the post that exposes personal data.", d=dm))
    if ctx.pii:
        return CheckResult("private_channel", True, True, _msg(
            lang, "Pide borrar la publicación («{x}») e invita al privado («{d}»).",
            "Asks to delete the post (\"{x}\") and invites a DM (\"{d}\").", x=delete, d=dm))
    return CheckResult("private_channel", True, True, _msg(
        lang, "Invita al privado: «{d}».", "Invites a private message: \"{d}\".", d=dm))


def _check_service_hours(text: str, folded: str, ctx: ToneContext, lang: str) -> CheckResult:
    if not ctx.outside_hours:
        return CheckResult("service_hours", True, False, _msg(
            lang, "No hace falta: el mensaje llegó en horario de atención.",
            "Not required: the message arrived within service hours."))
    hit = _find(_HOURS, text, folded)
    if hit:
        return CheckResult("service_hours", True, True, _msg(
            lang, "Dice cuándo vuelve el equipo: «{h}».", "Says when the team is back: \"{h}\".", h=hit))
    return CheckResult("service_hours", False, True, _msg(
        lang, "Llegó fuera de horario y no dice cuándo vuelve el equipo (p. ej. «mañana desde las 8»).",
        "Arrived out of hours and does not say when the team is back (e.g. \"from 8am tomorrow\")."))


def _check_fits_channel(text: str, folded: str, ctx: ToneContext, lang: str) -> CheckResult:
    limit = CHANNEL_LIMITS.get(ctx.channel, DEFAULT_LIMIT)
    n = len(text.strip())
    if n <= limit:
        return CheckResult("fits_channel", True, True, _msg(
            lang, "{n} caracteres, dentro del límite de {limit} de {ch}.",
            "{n} characters, within the {limit} limit of {ch}.", n=n, limit=limit, ch=ctx.channel))
    return CheckResult("fits_channel", False, True, _msg(
        lang, "{n} caracteres: supera en {over} el límite de {limit} de {ch}.",
        "{n} characters: {over} over the {limit} limit of {ch}.", n=n, limit=limit, ch=ctx.channel, over=n - limit))


_CHECK_FUNCS = {
    "thanks": _check_thanks, "non_defensive": _check_non_defensive, "offers_solution": _check_offers_solution,
    "human": _check_human, "private_channel": _check_private_channel, "service_hours": _check_service_hours,
    "fits_channel": _check_fits_channel,
}


def _prepare(text: str, context: ToneContext | None) -> tuple[str, ToneContext, str]:
    ctx = context or ToneContext()
    lang = ctx.lang if ctx.lang in ("es", "en") else guess_lang(text)
    return fold(text), ctx, lang


def check(name: str, text: str, context: ToneContext | None = None) -> CheckResult:
    """Run one guideline check on a reply."""
    if name not in _CHECK_FUNCS:
        raise ValueError(f"unknown tone check {name!r}; expected one of {', '.join(CHECKS)}")
    folded, ctx, lang = _prepare(text, context)
    return _CHECK_FUNCS[name](text, folded, ctx, lang)


def check_reply(text: str, context: ToneContext | None = None, learned=None) -> ToneReport:
    """Run every guideline check on a reply. ``learned``: a bundle's ``model.tone_model.LearnedTone``,
    which decides or adds to the checks it was kept for."""
    folded, ctx, lang = _prepare(text, context)
    results = {name: _CHECK_FUNCS[name](text, folded, ctx, lang) for name in CHECKS}
    return ToneReport(learned.revise(text, results, lang) if learned is not None else results)
