"""Find and mask personal data in customer posts (es/en, Spain, Latin America, English-speaking countries).

Regular expressions plus check digits. A shape that ordinary text can produce by chance (a run of digits,
four letters and six digits) must pass its check (Luhn, mod 97, DNI letter, CUIT/RUT/CLABE/CBU digits...)
or follow a keyword such as "DNI", "cuenta", "passport" or "tel"; phones must have a phone's grouping or
prefix, not just its length. Order, booking, ticket and tracking references are claimed first so that
their digits never read as a phone or a card, and amounts and company hotlines (900..., 0800...) are skipped.
A password, PIN or security code is a "credential" when the value after its keyword holds a digit
("password Tulip1977!", "clave 4821"; never "my password is wrong"); a "birth_date" is a date after
"DOB" / "fecha de nacimiento". Street addresses are found by their shape (a street word, a
capitalised name and a number: "C/ Pintor Sorolla 14, 3ºB", "Cra 50 # 38-21", "418 Birch Ln");
names are not detected.

Kinds that have no slot of their own in ``KINDS`` fall under the nearest one: other national identity
numbers (Argentine/Peruvian DNI, Colombian and Uruguayan cédula, Indian Aadhaar and PAN) are "dni";
social security / insurance numbers (US SSN, Canadian SIN, Irish PPS, UK National Insurance) are "ssn";
CBU, CLABE, UPI ids, sort codes and bank accounts are "account".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

KINDS = ("email", "phone", "card", "iban", "account", "dni", "nie", "curp", "rfc", "cuit", "rut", "passport", "ssn",
         "address", "credential", "birth_date")


@dataclass(frozen=True)
class PiiMatch:
    kind: str  # one of KINDS
    start: int
    end: int
    value: str


# ---------------------------------------------------------------------------------------------- check digits

def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def _luhn_ok(d: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(d)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _iban_ok(s: str) -> bool:
    s = s.replace(" ", "").upper()
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _dni_ok(s: str) -> bool:
    """Spanish DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter): the letter is number mod 23."""
    s = re.sub(r"[\s.-]", "", s).upper()
    if s[0] in "XYZ":
        s = str("XYZ".index(s[0])) + s[1:]
    return s[:-1].isdigit() and _DNI_LETTERS[int(s[:-1]) % 23] == s[-1]


def _cuit_ok(s: str) -> bool:
    d = _digits(s)
    if len(d) != 11 or d[:2] not in {"20", "23", "24", "27", "30", "33", "34"}:
        return False
    rest = 11 - sum(int(a) * w for a, w in zip(d, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))) % 11
    return rest != 10 and rest % 11 == int(d[10])  # 10 never issues: AFIP switches the prefix to 23/33


def _rut_ok(s: str) -> bool:
    body, dv = re.sub(r"[.\s]", "", s).upper().rsplit("-", 1)
    total = sum(int(ch) * (2 + i % 6) for i, ch in enumerate(reversed(body)))
    expected = {11: "0", 10: "K"}.get(11 - total % 11, str(11 - total % 11))
    return dv == expected


def _uy_ci_ok(s: str) -> bool:
    d = _digits(s).zfill(8)
    total = sum(int(a) * w for a, w in zip(d[:7], (2, 9, 8, 7, 6, 3, 4)))
    return (10 - total % 10) % 10 == int(d[7])


def _clabe_ok(s: str) -> bool:
    d = _digits(s)
    total = sum(int(a) * w % 10 for a, w in zip(d[:17], (3, 7, 1) * 6))
    return len(d) == 18 and (10 - total % 10) % 10 == int(d[17])


def _cbu_ok(s: str) -> bool:
    """Argentine CBU/CVU: two blocks (8 + 14 digits), each closed by its own check digit."""
    d = _digits(s)

    def block_ok(block: str, weights: tuple[int, ...]) -> bool:
        total = sum(int(a) * w for a, w in zip(block[:-1], weights))
        return (10 - total % 10) % 10 == int(block[-1])

    return len(d) == 22 and block_ok(d[:8], (7, 1, 3, 9, 7, 1, 3)) and block_ok(d[8:], (3, 9, 7, 1) * 4)


# Verhoeff tables: dihedral group D5 multiplication and the position permutations.
_VERHOEFF_D = [[int(c) for c in row] for row in (
    "0123456789 1234067895 2340178956 3401289567 4012395678 5987604321 6598710432 7659821043 8765932104 9876543210"
).split()]
_VERHOEFF_P = [list(range(10))]
for _ in range(7):
    _VERHOEFF_P.append([_VERHOEFF_P[-1][x] for x in (1, 5, 7, 6, 2, 8, 3, 0, 9, 4)])


def _aadhaar_ok(s: str) -> bool:
    """Indian Aadhaar: 12 digits, first not 0/1, Verhoeff check digit."""
    d = _digits(s)
    if len(d) != 12 or d[0] in "01":
        return False
    c = 0
    for i, ch in enumerate(reversed(d)):
        c = _VERHOEFF_D[c][_VERHOEFF_P[i % 8][int(ch)]]
    return c == 0


def _pps_ok(s: str) -> bool:
    """Irish PPS: 7 digits, check letter (mod 23 over weights 8..2, second letter weighs 9)."""
    s = s.upper().replace(" ", "")
    total = sum(int(a) * w for a, w in zip(s[:7], range(8, 1, -1)))
    if len(s) == 9 and s[8] != "W":
        total += 9 * (ord(s[8]) - 64)
    return "WABCDEFGHIJKLMNOPQRSTUV"[total % 23] == s[7]


def _yymmdd_ok(s: str) -> bool:
    return 1 <= int(s[2:4]) <= 12 and 1 <= int(s[4:6]) <= 31


# ---------------------------------------------------------------------------------------------- phones

# Shapes of national numbers, written over the number with parentheses dropped and every separator
# turned into one space. Only real groupings are listed, and unspaced runs only in the lengths and leading
# digits people really write that way (ES/PE 9 digits, IN 10, UK 11...): a run of digits is not a phone.
_PHONE_SHAPES = re.compile("|".join(f"(?:{p})" for p in (
    r"[6-9]\d{8}",                          # ES / PE 612345678
    r"[6-9]\d\d \d\d \d\d \d\d",            # ES 612 34 56 78
    r"(?:[6-9]\d\d|09\d) \d{3} \d{3}",      # ES / PE 612 345 678, UY 099 214 508
    r"9\d \d{3} \d\d \d\d",                 # ES landline 91 123 45 67
    r"9 \d{4} \d{4}",                       # CL 9 6632 1180
    r"[2-9]\d\d [2-9]\d\d \d{4}",           # US/CA (555) 123-4567, CO 300 614 7782
    r"0\d\d \d{3} \d{4}",                   # IE 087 331 2948
    r"01 \d{3} \d{4}",                      # IE Dublin 01 234 5678
    r"\d\d \d{4} \d{4}",                    # MX 55 3847 2291, AR 11 5555-1234 / 15-5555-1234, AU 03 5221 8840
    r"(?:0?\d{2,4} )?15 \d{3,4} \d{4}",     # AR 011 15 5555-1234
    r"0\d\d \d{4} \d{4}",                   # UK 020 7946 0018, IN 044-2461 3390
    r"0\d{3} \d{3} \d{3,4}",                # AU 0412 887 305, UK 0161 496 0000
    r"0[1-9]\d{3} ?\d{6}",                  # UK 07700 914362, 07700914362
    r"0[1-9]\d{3} \d{3} \d{3}",             # UK 07912 448 203
    r"04\d{8}",                             # AU 0412887305
    r"[6-9]\d{4} ?\d{5}",                   # IN 98450 22317, 9845022317
)))

# National significant number lengths after an international prefix.
_COUNTRY_LENGTHS = {"1": (10,), "34": (9,), "44": (10,), "51": (9,), "52": (10, 11), "54": (10, 11), "56": (9,),
                    "57": (10,), "61": (9,), "91": (10,), "353": (9,), "598": (8,)}


# Toll-free and shared-cost lines belong to companies, and customers quote them all the time ("llamé al
# 900 ..."): ES 80x/90x, AR/UK 0800/0808, US/CA (1-)8xx, AU 1300/1800. Checked on national numbers only,
# and not on the Indian 5-5 grouping, whose mobiles (88xxx xxxxx) share those digits.
_BUSINESS_LINE = re.compile(r"(?:90[0-2]|80\d)\d{6}|0?80[08]\d{6,8}|1?8(?:00|33|44|55|66|77|88)\d{7}|1[38]00\d{6}")


def _business_line(digits: str, shape: str) -> bool:
    return bool(_BUSINESS_LINE.fullmatch(digits)) and not re.fullmatch(r"[6-9]\d{4} ?\d{5}", shape)


def _shape(value: str) -> str:
    return re.sub(r"[\s.\-]+", " ", value.replace("(", " ").replace(")", " ")).strip()


def _international(value: str) -> bool:
    return value.startswith("+") or value.startswith("00")


def _phone_ok(value: str) -> bool:
    d, shape = _digits(value), _shape(value)
    if _international(value):
        d = d[2:] if d.startswith("00") else d
        # "+" alone says phone; "00" could open anything, so it needs a known country and length.
        if any(d.startswith(cc) and len(d) - len(cc) in n for cc, n in _COUNTRY_LENGTHS.items()):
            return True
        return value.startswith("+") and 8 <= len(d) <= 15
    return _PHONE_SHAPES.fullmatch(shape) is not None and not _business_line(d, shape)


def _loose_phone_ok(value: str) -> bool:
    """After "tel" / "call me": any grouping, but phone length."""
    d = _digits(value)
    if _international(value):
        return _phone_ok(value)
    return 7 <= len(d) <= 13 and not _business_line(d, _shape(value))


# ---------------------------------------------------------------------------------------------- patterns

# Between a keyword and its value: punctuation and filler ("mi DNI es", "passport no.", "account #").
_GAP = (r"(?:\s*(?:[:#=,]|n[º°]\.?|(?i:es|is|was|son|are|de|del|of|the|el|la|mi|my|his|her|su|on file|number"
        r"|n[úu]mero|num|nro|no|id)\b\.?))*\s*")
# Bank names may sit between "cuenta" and the number ("cuenta BCP 191-...", "cuenta de ahorros Bancolombia ...").
_BANK = r"(?:\s+(?:(?i:de ahorros|corriente|contrato|savings|checking|del?)|[A-Z][A-Za-z]+)\b)*"
_END = r"(?![\w@])(?![ .,\-/]?\d)"      # the value stops at a boundary, not inside a longer number
_START = r"(?<![\w@#+./\-])(?<!\d[ .,\-])"  # ...and does not start inside one either


def _kw(words: str) -> str:
    return rf"(?<!\w)(?i:{words})(?!\w)"


_NUM_SPAN = r"\+?(?:\(\d{1,4}\)[ .\-]?)?\d+(?:[ .\-](?:\(\d{1,4}\) ?)?\d+)*"  # "(312) 555-0148", "+52 (55) ..."
_ID_NUMBER = r"\d{1,3}(?:\.\d{3}){1,3}(?:-[\dkK])?|\d{4} \d{4} \d{4}|\d{6,12}(?:-?[A-Za-z\d])?"
_ACCOUNT_NUMBER = r"\d+(?:-\d+| \d{2,})*"

# Order, booking, ticket and tracking references: claimed (and then dropped) before anything else so that
# "pedido 612345678" or "order 4532 ..." never read as a phone or a card. The gap is strict on purpose:
# a loose one would let "reserva y mi tel 612..." swallow a real phone.
_REFERENCE = re.compile(
    _kw(r"pedido|order|orden|booking|reserva|reservaci[óo]n|localizador|ticket|tiquete|vuelo|flight|tracking"
        r"|seguimiento|gu[íi]a|env[íi]o|shipment|parcel|ref|reference|referencia|confirmaci[óo]n|confirmation"
        r"|conf|pnr|factura|invoice|radicado|docket|incidencia|reclamo|queja|complaint|claim"
        r"|transacci[óo]n|transaction|operaci[óo]n|folio|reporte|awb|c[óo]digo|code|imei|serial")
    + r"(?:\s*(?:[:#]|n[º°]\.?|(?i:no|number|n[úu]mero|de|del|id)\b\.?))*\s*"
    + r"(?P<v>(?=[\w\-]*\d)[\w\-]+(?:\s\d+)*)")

_URL = re.compile(r"(?P<v>https?://\S+|www\.\S+|(?<![\w-])[\w-]++\.(?:com|co|ly|me)/\S+)", re.IGNORECASE)


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    valid: Callable[[str], bool] | None = None
    # A value that fails ``valid`` still counts when a ``near`` word comes up to ``window`` chars before it: people
    # mistype check digits, and "tarjeta ... 4532 8812 0047 3391" is a card whether or not Luhn agrees.
    near: re.Pattern[str] | None = None
    window: int = 0
    rank: int = 2  # lower wins an overlap: 1 keyword-backed, 2 self-validating shape, 3 bare phone shape

    def accepts(self, text: str, start: int, end: int) -> bool:
        if self.valid is None and self.near is None:
            return True
        if self.valid is not None and self.valid(text[start:end]):
            return True
        return self.near is not None and self.near.search(text[max(0, start - self.window):start]) is not None


def _rule(kind: str, pattern: str, valid: Callable[[str], bool] | None = None, near: str | None = None,
          window: int = 80, rank: int = 2) -> _Rule:
    return _Rule(kind, re.compile(pattern), valid, re.compile(_kw(near)) if near else None, window, rank)


# Street addresses. A name must be capitalised ("calle 14 sin luz" names no home) and a number must follow.
_NAME_WORD = r"(?:[A-ZÁÉÍÓÚÑ][\wáéíóúñü.'-]*|de|del|la|las|los|el|y|\d{1,3}(?:st|nd|rd|th)?)"
_FLOOR = r"(?:,?\s*(?:\d{1,2}\s*[ºª°]\s*[A-Za-z0-9]?|(?i:piso|depto\.?|dpto\.?|apto\.?|apt\.?|int\.?)\s*\w{1,4}))?"
_ADDRESS_ES = (r"(?<![\w/])(?P<v>(?i:c/|calle|avda\.?|avenida|av\.|paseo|plaza|camino|barrio|pasaje|jr\.|jir[oó]n|calzada|ronda|"
               r"rambla|carretera|bulevar|boulevard|bv\.|urb\.|urbanizaci[oó]n)\s*(?:" + _NAME_WORD + r"\s+){1,5}(?:n[º°]\.?\s*)?\d{1,5}[A-Za-z]?"
               + _FLOOR + r")(?![\w])")
_ADDRESS_CO = (r"(?<![\w/])(?P<v>(?i:cra\.?|kra\.?|carrera|calle|cl\.?|cll\.?|diagonal|dg\.?|transversal|tv\.?|av\.?|avenida)\s*"
               r"\d{1,3}[A-Za-z]?(?:\s*(?i:bis|sur|norte))?\s*(?:#|(?i:n[º°o])\.?)\s*\d{1,3}[A-Za-z]?(?:\s*(?i:bis|sur|norte|este))?\s*-\s*\d{1,3}" + _FLOOR + r")(?!\w)")
_ADDRESS_EN = (r"(?<![\w/#$£€.,])(?P<v>\d{1,5}[A-Za-z]?(?:/\d{1,4})?\s+(?:[A-Z][a-z]+\s+){1,3}(?:St|Street|Rd|Road|Ave|Avenue|Ln|Lane|"
               r"Dr|Drive|Blvd|Boulevard|Ct|Court|Way|Pl|Place|Park|Crescent|Cres|Terrace|Tce|Close|Grove|Gardens|Square|Sq|Row|"
               r"Parade|Pde|Highway|Hwy)\b\.?(?:,?\s*(?i:apt|apartment|unit|flat|suite)\.?\s*\w{1,4})?)")

_RULES: tuple[_Rule, ...] = (
    # keyword + value: the keyword is the evidence, so the value only needs a plausible shape
    _rule("dni", _kw(r"dni|d\.n\.i\.|documento(?: de identidad)?|c[ée]dula(?: de (?:ciudadan[íi]a|identidad))?"
                     r"|c\.?c\.?|c\.?i\.?|aadhaa?r(?: card)?|ine") + _GAP + rf"(?P<v>{_ID_NUMBER}){_END}", rank=1),
    _rule("rut", _kw(r"rut|run") + _GAP + rf"(?P<v>\d{{1,2}}\.?\d{{3}}\.?\d{{3}}-?[\dkK]){_END}", rank=1),
    _rule("cuit", _kw(r"cuit|cuil|cdi") + _GAP + rf"(?P<v>\d{{2}}-?\d{{8}}-?\d){_END}", rank=1),
    _rule("passport", _kw(r"pasaporte|passport|passport no|passport number") + _GAP
          + rf"(?P<v>[A-Za-z]{{0,3}}\d{{6,9}}[A-Za-z]?){_END}", rank=1),
    # "here's my passport number since your app can't read it: 584219736": the word, then the number nearby
    _rule("passport", _START + rf"(?P<v>[A-Z]{{0,2}}\d{{7,9}}){_END}", near=r"pasaporte|passport", window=60),
    # SIN only in capitals: lower-case "sin" is Spanish for "without"
    _rule("ssn", r"(?:(?<!\w)SIN(?!\w)|" + _kw(r"ssn|social security(?: number| no)?|pps|ppsn|ni number"
                                            r"|national insurance(?: number)?") + ")" + _GAP
          + r"(?P<v>\d{3}[ -]?\d{2,3}[ -]?\d{3,4}"  # US SSN, Canadian SIN
          + r"|\d{7}[A-Wa-w][A-Ia-iWw]?"  # Irish PPS
          + r"|[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D])" + _END, rank=1),  # UK National Insurance
    _rule("account", _kw(r"cbu|cvu|clabe") + _GAP + rf"(?P<v>\d(?:[ -]?\d){{17,21}}){_END}", rank=1),
    _rule("account", _kw(r"sort code|bsb") + _GAP + rf"(?P<v>\d\d-\d\d-\d\d|\d{{3}}-?\d{{3}}){_END}", rank=1),
    _rule("account", _kw(r"n[úu]mero de cuenta|n[º°] de cuenta|n[º°] cuenta|cuenta|account|acct|acc|a/c"
                         r"|n[úu]mero de cliente|n[º°] de cliente|customer (?:number|no)|socio|miembro|member(?:ship)?"
                         r"|frequent flyer|loyalty|club")
          + _BANK + _GAP + rf"(?P<v>{_ACCOUNT_NUMBER}){_END}",
          # a grouped phone after "account," is the phone ("call me about my account, 087 241 9936")
          lambda v: 8 <= len(_digits(v)) <= 30 and (v.isdigit() or not _phone_ok(v)), rank=1),
    _rule("phone", _kw(r"tel\w*|tlf|tfno|m[óo]vil|cel|celular|celu|fono|whats?app|wsp|wpp|phone|mobile|mob|cell|ph"
                       r"|ll[áa]m\w*(?: al)?|m[áa]rqu?\w*(?: al)?|h[áa]bl\w+ al|call(?: me)?(?: at| on)?"
                       r"|ring(?: me)?(?: on| at)?|text(?: me)?(?: at| on)?|contact(?: me)?(?: at| on)?")
          + _GAP + rf"(?P<v>{_NUM_SPAN}){_END}", _loose_phone_ok, rank=1),
    # self-validating shapes
    _rule("email", r"(?<![\w.+\-])(?P<v>[A-Za-z0-9][\w.+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})(?!\w)"),
    _rule("account", r"(?<![\w.+\-])(?P<v>[\w.\-]{2,}@(?:ok(?:axis|hdfc|hdfcbank|icici|sbi)|ybl|ibl|axl|upi|paytm|apl))(?![\w@]|\.\w)"),
    _rule("card", _START + r"(?P<v>[2-6]\d{12,18}|[2-6]\d{3}([ -])\d{4}\2\d{4}\2\d{1,4}|3\d{3}([ -])\d{6}\3\d{4,5})" + _END,
          lambda v: _luhn_ok(_digits(v))),
    # grouped like a card but failing Luhn: still a card next to "tarjeta" / "card" or an expiry date
    _rule("card", _START + r"(?P<v>[2-6]\d{3}([ -])\d{4}\2\d{4}\2\d{4})(?=[\s,.:;]+(?i:exp|caduc|venc|valid)\w*\b)" + _END),
    _rule("card", _START + r"(?P<v>[2-6]\d{3}([ -])\d{4}\2\d{4}\2\d{4})" + _END,
          near=r"tarjeta|tdc|tdd|card|visa|mastercard|master|amex|d[ée]bito|cr[ée]dito", window=200),
    _rule("iban", r"(?<!\w)(?P<v>[A-Z]{2}\d{2}(?:(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?|[A-Z0-9]{11,30}))(?![A-Za-z0-9])",
          _iban_ok, near=r"iban|cuenta|account|acct|bank|banco"),
    _rule("account", _START + r"(?P<v>\d{18})" + _END, _clabe_ok),
    _rule("account", _START + r"(?P<v>\d{22})" + _END, _cbu_ok),
    _rule("nie", r"(?<![\w\-])(?P<v>[XYZxyz]-?\d{7}-?[A-Za-z])(?!\w)", _dni_ok, near=r"nie|nif|documento|document"),
    _rule("dni", r"(?<![\w.\-])(?P<v>\d{8}-?[A-Za-z])(?!\w)", _dni_ok, near=r"dni|nif|documento|document"),
    # a bare 7-8 digit number a few words after "DNI", with no other number between ("me piden DNI, ahí va: 45872210")
    _rule("dni", _kw(r"dni|documento") + r"[^\d\n]{0,20}?(?<![\w.])" + rf"(?P<v>\d{{1,2}}\.?\d{{3}}\.?\d{{3}}(?:-?[A-Za-z])?){_END}",
          rank=1),
    _rule("curp", r"(?<!\w)(?P<v>[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d)(?!\w)",
          lambda v: _yymmdd_ok(v[4:10])),
    _rule("rfc", r"(?<!\w)(?P<v>[A-ZÑ&]{3,4}\d{6}[A-Z\d]{2}[A\d])(?!\w)", lambda v: _yymmdd_ok(v[-9:-3])),
    _rule("cuit", _START + r"(?P<v>(?:2[0347]|3[034])-\d{8}-\d)" + _END, _cuit_ok, near=r"cuit|cuil"),
    _rule("rut", _START + r"(?P<v>\d{1,2}\.?\d{3}\.?\d{3}-[\dkK])" + _END, _rut_ok, near=r"rut|run"),
    _rule("dni", _START + r"(?P<v>\d\.?\d{3}\.?\d{3}-\d)" + _END, _uy_ci_ok, near=r"c[ée]dula|ci|c\.i\."),  # Uruguayan CI
    _rule("dni", _START + r"(?P<v>[2-9]\d{3} \d{4} \d{4})" + _END, _aadhaar_ok, near=r"aadhaa?r|uidai|kyc"),
    _rule("dni", r"(?<!\w)(?P<v>[A-Z]{3}[PCHFATBLJG][A-Z]\d{4}[A-Z])(?!\w)"),  # Indian PAN: 4th letter is holder type
    _rule("ssn", _START + r"(?P<v>(?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)\d{4})" + _END),
    _rule("ssn", r"(?<!\w)(?P<v>\d{7}[A-W][A-IW]?)(?!\w)", _pps_ok, near=r"pps|ppsn"),
    _rule("ssn", r"(?<!\w)(?P<v>(?![DFIQUV])[A-Z](?![DFIOQUV])[A-Z] ?\d\d ?\d\d ?\d\d ?[A-D])(?!\w)"),  # UK NINO
    _rule("credential", _kw(r"password|passwd|pwd|passcode|pin|cvv|cvc|cvv2|security code|contrase[ñn]a|clave|nip"
                            r"|c[óo]digo de seguridad")
          + r"(?:\s+(?i:de|del|of|for|para)\s+(?i:la|mi|my|the|el)?\s*(?i:tarjeta|card|cuenta|account|app|banca|online|web))?"
          + _GAP + r"(?P<v>(?=[^\s,;]*\d)[^\s,;]{4,40})", rank=1),
    _rule("birth_date", _kw(r"dob|d\.o\.b\.?|date of birth|birth ?date|born(?: on)?|fecha de nacimiento|f\. ?nac\.?"
                            r"|naci(?:d[oa])? el|nac[íi] el") + _GAP
          + r"(?P<v>\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|\d{1,2}(?: de)? [A-Za-záéíóú]{3,10}\.?(?: de)?,? \d{4}"
            r"|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})(?![\w/])", rank=1),
    _rule("address", _ADDRESS_CO), _rule("address", _ADDRESS_ES), _rule("address", _ADDRESS_EN),
    # a phone is the loosest shape: last, and only in the groupings listed in _PHONE_SHAPES
    _rule("phone", _START + rf"(?P<v>{_NUM_SPAN})" + _END, _phone_ok, rank=3),
)

_CURRENCY_BEFORE = re.compile(r"(?:[$€£₹¥]|\b(?:S/|Rs\.?|USD|EUR|MXN|ARS|COP|CLP|PEN|UYU|INR|GBP|AUD|CAD))\s?$")
_CURRENCY_AFTER = re.compile(r"^\s?(?:[$€£₹%]|(?i:euros?|pesos|soles|d[óo]lares|dollars|bucks|rupees|usd|eur|mxn|ars"
                             r"|cop|clp|pen|uyu|inr|gbp|aud|cad|lucas|palos|mil|k)\b)")


def _is_amount(text: str, start: int, end: int) -> bool:
    return bool(_CURRENCY_BEFORE.search(text[max(0, start - 5):start]) or _CURRENCY_AFTER.match(text[end:end + 10]))


def _candidates(text: str) -> Iterator[tuple[int, str, int, int]]:
    """(rank, kind, start, end); rank 0 marks references and links, which block but are never reported."""
    for pattern in (_URL, _REFERENCE):
        for m in pattern.finditer(text):
            yield 0, "", m.start("v"), m.end("v")
    for rule in _RULES:
        for m in rule.pattern.finditer(text):
            value = m.group("v")
            if not rule.accepts(text, m.start("v"), m.end("v")):
                continue
            if value[0].isdigit() and _is_amount(text, m.start("v"), m.end("v")):
                continue
            yield rule.rank, rule.kind, m.start("v"), m.end("v")


def find_pii(text: str) -> list[PiiMatch]:
    """Personal data in ``text``: non-overlapping matches sorted by start.

    Overlaps are settled by evidence (keyword-backed, then validated shapes, then bare phone shapes),
    then by length, so "DNI 48273615L" is one dni and "order 4532..." is nothing.
    """
    taken: list[tuple[int, int]] = []
    found: list[PiiMatch] = []
    for rank, kind, start, end in sorted(_candidates(text), key=lambda c: (c[0], c[2] - c[3], c[2])):
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        if rank:
            found.append(PiiMatch(kind, start, end, text[start:end]))
    return sorted(found, key=lambda m: m.start)


def has_pii(text: str) -> bool:
    return bool(find_pii(text))


def mask_pii(text: str) -> str:
    """``text`` with each match replaced by its kind as a tag ("[EMAIL]", "[PHONE]", "[CARD]"...)."""
    out, pos = [], 0
    for m in find_pii(text):
        out += [text[pos:m.start], f"[{m.kind.upper()}]"]
        pos = m.end
    return "".join(out) + text[pos:]


# Identity documents named in words ("borra el tuit, tiene tu RUT"): a reply naming one the
# customer did not post reads as if written for someone else.
_DOC_WORDS = {
    "dni": r"\bdni\b|\bc[ée]dula\b|documento de identidad", "nie": r"\bnie\b", "curp": r"\bcurp\b",
    "rfc": r"\brfc\b", "cuit": r"\bcuit\b|\bcuil\b", "rut": r"\brut\b", "passport": r"pasaporte|passport",
    "ssn": r"\bssn\b|social security",
}
_DOC_RX = {kind: re.compile(rx, re.IGNORECASE) for kind, rx in _DOC_WORDS.items()}


def documents_named(text: str) -> frozenset[str]:
    """Identity-document kinds a text names in words (not numbers): {"rut", "passport"}..."""
    return frozenset(kind for kind, rx in _DOC_RX.items() if rx.search(text))


def documents_in(text: str, found: Sequence[PiiMatch] | None = None) -> frozenset[str]:
    """Identity-document kinds a customer's message shows (a number) or names; ``found`` is
    ``find_pii(text)`` when the caller has it already."""
    found = find_pii(text) if found is None else found
    return frozenset(m.kind for m in found if m.kind in _DOC_RX) | documents_named(text)
