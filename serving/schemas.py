"""The HTTP contract (DESIGN.md "HTTP API"): request and response bodies, with es/en examples."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from serving.settings import BATCH_CEILING, K_CEILING, TEXT_CEILING

Lang = Literal["es", "en"]
Channel = Literal["twitter", "facebook", "instagram", "private"]
Label = Literal["critical", "high", "normal", "low"]


def _whole(v: object) -> object:
    """JSON Schema counts 3.0 as an integer; "3" and true are not."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _posted_at(v: str) -> dt.datetime:
    try:
        t = dt.datetime.fromisoformat(v.replace("z", "Z"))
    except ValueError:
        raise ValueError("expected an RFC 3339 date-time, e.g. 2026-11-24T09:30:00+01:00") from None
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


Text = Annotated[str, Field(min_length=1, max_length=TEXT_CEILING, pattern=r"\S",
                            description="not blank; the server's limit (ATIENDE_MAX_TEXT_CHARS) may be lower")]
Name = Annotated[str, Field(max_length=100)]
# A string with a pattern rather than a datetime: the schema can then say which years are
# accepted (1970-2099), and a bare number is refused instead of read as a Unix time.
PostedAt = Annotated[str, Field(pattern=r"^(19[7-9][0-9]|20[0-9][0-9])-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}",
                                max_length=40, json_schema_extra={"format": "date-time"},
                                description="when it was posted (years 1970-2099); naive times are UTC"),
                     AfterValidator(_posted_at)]
Whole = Annotated[int, BeforeValidator(_whole)]
STRICT = ConfigDict(extra="forbid", strict=True)


class Author(BaseModel):
    model_config = STRICT

    handle: Name | None = Field(default=None, examples=["@lucia_gm"])
    followers: Annotated[int, Field(ge=0, le=10**10), BeforeValidator(_whole)] | None = None


class MessageIn(BaseModel):
    """An incoming customer post."""

    model_config = STRICT

    text: Text
    id: Annotated[str, Field(max_length=200)] | None = Field(
        default=None, description="your own id, echoed back")
    lang: Lang | None = Field(default=None, description="guessed from the text when absent")
    channel: Channel = "twitter"
    author: Author | None = None
    created_at: PostedAt | None = None
    brand: Name | None = Field(default=None, description="the brand addressed (handle); narrows replies to its industry")


class SuggestRequest(MessageIn):
    k: Whole = Field(default=3, ge=1, le=K_CEILING, description="how many suggestions")
    agent: Name | None = Field(default=None, description="signature for the reply")

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [
        {"text": "Llevo 3 días sin internet y nadie me da una solución, ¿me van a devolver lo que pago?",
         "lang": "es", "channel": "twitter", "author": {"handle": "@lucia_gm", "followers": 340}, "k": 3},
        {"text": "My flight was cancelled and I'm stuck at the gate with two kids, what now??",
         "lang": "en", "channel": "twitter", "author": {"handle": "@dan_r"}, "brand": "skyair", "k": 2},
    ]})


class Urgency(BaseModel):
    label: Label
    probabilities: dict[str, float]


class Sla(BaseModel):
    minutes: int
    due_at: dt.datetime


class Suggestion(BaseModel):
    id: str
    text: str
    score: float
    similarity: float
    source: Literal["pair", "template"]
    tone: dict[str, bool]


class SuggestContext(BaseModel):
    lang: str
    angry: bool = Field(description="the anger head, or cue words and emoji of anger (model/upset.py), finds the customer very angry")
    pii: bool
    outside_hours: bool
    private_channel: bool
    topic: str | None = None
    industry: str | None = None


class SuggestResponse(BaseModel):
    urgency: Urgency
    priority: float
    sla: Sla
    suggestions: list[Suggestion]
    model_version: str
    context: SuggestContext
    fallback: bool = Field(description="nothing in the bank fitted: templates for the predicted urgency and topic")
    note: str | None = None


class PrioritizeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [
        {"messages": [{"id": "1", "text": "Me han robado la cuenta y están haciendo compras con mi tarjeta"},
                      {"id": "2", "text": "Thanks for the quick fix yesterday, all good now!"},
                      {"id": "3", "text": "¿A qué hora abre la tienda de Gran Vía el domingo?"}]}]})

    messages: list[MessageIn] = Field(min_length=1, max_length=BATCH_CEILING)


class Triaged(BaseModel):
    index: int
    id: str | None = None
    urgency: Urgency
    priority: float
    sla: Sla


class PrioritizeResponse(BaseModel):
    results: list[Triaged] = Field(description="one per message, in input order")
    order: list[int] = Field(description="indices of the messages, highest priority first")
    model_version: str


class ToneContextIn(BaseModel):
    model_config = STRICT

    channel: Channel = "twitter"
    needs_private: bool = Field(default=False, description="the customer is very angry or posted personal data")
    pii: bool = Field(default=False, description="personal data posted in public: ask to delete the post")
    outside_hours: bool = False


class ToneCheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [
        {"text": "Hola @lucia_gm, gracias por avisarnos. Ya lo estamos revisando: escríbenos por MD tu número de "
                 "cliente y te llamamos hoy. ^Marta", "lang": "es", "context": {"needs_private": True}},
        {"text": "As stated in our terms, refunds take 30 days.", "lang": "en"},
    ]})

    text: Text
    lang: Lang | None = None
    context: ToneContextIn = Field(default_factory=ToneContextIn)


class CheckOut(BaseModel):
    passed: bool
    applicable: bool
    reason: str


class ToneCheckResponse(BaseModel):
    passed: bool
    checks: dict[str, CheckOut]


class _Feedback(BaseModel):
    model_config = STRICT

    suggestion_id: Annotated[str, Field(max_length=200)] | None = None
    message: MessageIn
    urgency: Label | None = Field(default=None, description="the agent's urgency label, when they corrected it")
    model_version: Name | None = None
    agent: Name | None = None


class KeptFeedback(_Feedback):
    """The suggestion was sent as it was, or rejected."""

    outcome: Literal["accepted", "rejected"]
    final_text: Text | None = Field(default=None, description="the reply actually sent, if you have it")


class EditedFeedback(_Feedback):
    """The agent edited the suggestion before sending it."""

    outcome: Literal["edited"]
    final_text: Text = Field(description="the reply actually sent")


FeedbackRequest = Annotated[KeptFeedback | EditedFeedback, Field(discriminator="outcome")]
FEEDBACK_EXAMPLES = {
    "edited_es": {"value": {"suggestion_id": "pair-0412", "outcome": "edited",
                            "message": {"text": "No me llega el pedido 4471"},
                            "final_text": "Hola, gracias por escribirnos. Lo reviso ya: ¿nos mandas por MD el correo "
                                          "de la compra?", "agent": "marta"}},
    "accepted_en": {"value": {"suggestion_id": "tpl-en-airline-high-2", "outcome": "accepted",
                              "message": {"text": "Bag didn't arrive in Madrid", "lang": "en"}}}}


class FeedbackResponse(BaseModel):
    id: int
    stored: bool = True


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[dict] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: str
    model_version: str | None = None
    detail: str | None = None
